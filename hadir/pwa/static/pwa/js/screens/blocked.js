// The app is older than the region's minimum after its deadline: nothing works until it is updated.

import { t } from "../i18n.js";
import { h } from "../ui.js";

export function render(ctx, error) {
  ctx.mount(
    h(
      "section",
      { class: "card blocked", id: "outdated", role: "alert" },
      h("h1", {}, t("outdated.title")),
      h("p", { id: "outdated-detail" }, error.detail),
      h("p", { class: "muted" }, t("outdated.howto")),
      h("p", { class: "muted small" }, t("app.version", { version: ctx.version })),
      h("button", { class: "primary", onclick: () => location.reload() }, t("outdated.reload")),
    ),
  );
}
