// My month: the days with their status, late and early minutes, deductions and the TPP estimate.

import { api } from "../api.js";
import { locale, t } from "../i18n.js";
import { h, rupiah } from "../ui.js";

function shift(month, by) {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(y, m - 1 + by, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

function thisMonth() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
}

function deductionText(day) {
  return (day.deductions || []).map((d) => `${d.code} ${d.pct}%`).join(", ");
}

export async function render(ctx, [param]) {
  const month = /^\d{4}-\d{2}$/.test(param || "") ? param : thisMonth();
  const { data } = await api(`/me/month?month=${month}`);
  const label = new Date(`${month}-15T12:00:00`).toLocaleDateString(locale(), { month: "long", year: "numeric" });
  const summary = h(
    "dl",
    { class: "summary card", id: "month-summary" },
    h("dt", {}, t("month.deduction")),
    h("dd", { id: "deduction-pct" }, `${data.deduction_pct ?? 0}%`),
    h("dt", {}, t("month.tpp_base")),
    h("dd", {}, rupiah(data.tpp_base)),
    h("dt", {}, t("month.tpp_estimate")),
    h("dd", { id: "tpp-estimate" }, rupiah(data.tpp_estimate)),
  );
  const rows = (data.days || []).map((day) =>
    h(
      "tr",
      { class: day.status, dataset: { date: day.date } },
      h("td", {}, new Date(`${day.date}T12:00:00`).toLocaleDateString(locale(), { weekday: "short", day: "numeric" })),
      h("td", {}, t(`day.${day.status}`, {}, day.status), day.absence ? ` (${t(`absence.${day.absence}`, {}, day.absence)})` : ""),
      h("td", { class: "num" }, day.late_minutes || ""),
      h("td", { class: "num" }, day.early_minutes || ""),
      h("td", { class: "small" }, deductionText(day)),
    ),
  );
  ctx.mount(
    h(
      "div",
      { class: "month-nav" },
      h("a", { href: `#/month/${shift(month, -1)}`, id: "month-prev", "aria-label": t("month.prev") }, "‹"),
      h("h1", {}, t("month.title", { month: label })),
      h("a", { href: `#/month/${shift(month, 1)}`, id: "month-next", "aria-label": t("month.next") }, "›"),
    ),
    summary,
    h("p", { class: "muted small" }, t("month.note")),
    h(
      "table",
      { class: "days", id: "month-days" },
      h("thead", {}, h("tr", {}, ["month.day", "month.status", "month.late", "month.early", "month.deductions"].map((k) => h("th", {}, t(k))))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5, class: "muted" }, t("month.empty")))),
    ),
  );
}
