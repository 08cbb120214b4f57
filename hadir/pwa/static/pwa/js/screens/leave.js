// Request leave or permission: stored as pending; the atasan decides on the web (issue 5).

import { ApiError, NetworkError, api } from "../api.js";
import { t } from "../i18n.js";
import { h } from "../ui.js";

export const TYPES = ["cuti_tahunan", "izin", "sakit", "cuti_sakit", "cuti_alasan_penting", "cuti_melahirkan", "cuti_besar", "dinas_luar", "perjalanan_dinas"];

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function requestList(items) {
  if (!items.length) return h("p", { class: "muted" }, t("leave.none"));
  return h(
    "ul",
    { class: "requests", id: "leave-list" },
    items.map((a) =>
      h(
        "li",
        { dataset: { status: a.status } },
        h("strong", {}, t(`absence.${a.type}`, {}, a.type)),
        ` ${a.start_date} – ${a.end_date} `,
        h("span", { class: `chip ${a.status}` }, t(`leave.status.${a.status}`, {}, a.status)),
        a.reason ? h("div", { class: "muted small" }, a.reason) : null,
      ),
    ),
  );
}

export async function render(ctx) {
  const { data } = await api("/me/absences");
  const items = Array.isArray(data) ? data : data.items || data.absences || [];
  const message = h("p", { id: "leave-message", role: "status", hidden: true });
  const type = h("select", { id: "leave-type", name: "type" }, TYPES.map((k) => h("option", { value: k }, t(`absence.${k}`))));
  const start = h("input", { id: "leave-start", name: "start_date", type: "date", required: true, value: today() });
  const end = h("input", { id: "leave-end", name: "end_date", type: "date", required: true, value: today() });
  const reason = h("textarea", { id: "leave-reason", name: "reason", required: true, rows: 3, maxlength: 1000 });
  const documentInput = h("input", { id: "leave-document", name: "document", type: "file", accept: "application/pdf,image/jpeg,image/png" });
  const submit = h("button", { type: "submit", class: "primary", id: "leave-submit" }, t("leave.submit"));

  async function onSubmit(event) {
    event.preventDefault();
    message.hidden = true;
    submit.disabled = true;
    const fields = { type: type.value, start_date: start.value, end_date: end.value, reason: reason.value.trim() };
    try {
      // Form fields and an optional document, as the API reads them (multipart).
      const form = new FormData();
      for (const [key, value] of Object.entries(fields)) form.append(key, value);
      const file = documentInput.files[0];
      if (file) form.append("document", file, file.name);
      await api("/me/absences", { method: "POST", form });
      message.className = "notice ok";
      message.textContent = t("leave.sent");
      message.hidden = false;
      setTimeout(() => ctx.render(), 1200);
    } catch (error) {
      if (error instanceof ApiError && error.status === 426) return;
      message.className = "error";
      message.textContent = error instanceof NetworkError ? t("leave.offline") : error.detail;
      message.hidden = false;
    } finally {
      submit.disabled = false;
    }
  }

  ctx.mount(
    h("h1", {}, t("leave.title")),
    h(
      "form",
      { class: "card", id: "leave-form", onsubmit: onSubmit },
      h("label", { for: "leave-type" }, t("leave.type")),
      type,
      h("div", { class: "row" }, h("div", {}, h("label", { for: "leave-start" }, t("leave.start")), start), h("div", {}, h("label", { for: "leave-end" }, t("leave.end")), end)),
      h("label", { for: "leave-reason" }, t("leave.reason")),
      reason,
      h("label", { for: "leave-document" }, t("leave.document")),
      documentInput,
      message,
      submit,
    ),
    h("h2", {}, t("leave.mine")),
    requestList(items),
  );
}
