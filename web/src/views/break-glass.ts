// Emergency access ("break-glass"): a national approver or administrator opens a short grant to
// victims' personal data alone, saying why; everything read under it is recorded and someone
// else reviews it afterwards. Administrators and victim-assistance officers see every grant and
// review the ended ones. The server decides who may do what; this page shows its answers.
import { ApiError, api, type Me } from "../api";
import { h } from "../dom";
import { date, minutesLeft, t } from "../i18n";

interface Grant {
  id: number;
  holder: string;
  reason: string;
  opened_at: string;
  until: string;
  closed_at: string | null;
  closed_by: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
  open: boolean;
  awaits_review: boolean;
}

/** A time of day with its date, in the browser's time zone. */
function when(iso: string): string {
  const time = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `${date(iso)} ${time}`;
}

/** Shows the problem of `e` next to the fields it names, else in `message`. */
function showProblem(form: HTMLElement, message: HTMLElement, e: unknown): void {
  form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
  if (!(e instanceof ApiError)) {
    message.textContent = String(e);
    return;
  }
  message.textContent = e.problem.detail;
  for (const err of e.problem.errors ?? []) {
    const slot = form.querySelector<HTMLElement>(`[data-error-for="${err.field}"]`);
    if (slot) slot.textContent = err.message;
  }
}

function openForm(changed: () => void): HTMLElement {
  const reason = h("textarea", { id: "break-glass-reason", name: "reason", rows: 3 });
  const minutes = h("input", { id: "break-glass-minutes", name: "minutes", type: "number", min: 1, max: 240, value: 60 });
  const message = h("p", { class: "form-message error", role: "alert" });
  const form = h("form", { id: "break-glass-form", class: "break-glass-form" },
    h("p", { class: "break-glass-warning", id: "break-glass-warning" }, t("bg.warning")),
    h("label", { class: "field" }, t("bg.reason"), reason, h("span", { class: "field-error", "data-error-for": "reason" })),
    h("label", { class: "field" }, t("bg.minutes"), minutes, h("span", { class: "field-error", "data-error-for": "minutes" })),
    h("button", { type: "submit", id: "break-glass-open" }, t("bg.open")),
    message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("/api/break-glass", { method: "POST", body: JSON.stringify({ reason: reason.value, minutes: Number(minutes.value) }) });
      changed();
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

function ownGrant(grant: NonNullable<Me["break_glass"]>, changed: () => void): HTMLElement {
  const message = h("p", { class: "form-message error", role: "alert" });
  return h("section", { id: "break-glass-own", class: "break-glass-own" },
    h("h2", {}, t("bg.own")),
    h("p", {}, t("bg.own_text", { until: when(grant.until), minutes: minutesLeft(grant.until) })),
    h("p", {}, h("strong", {}, t("bg.col.reason")), " ", grant.reason),
    h("button", { id: "break-glass-close", onclick: async () => {
      try {
        await api(`/api/break-glass/${grant.id}/close`, { method: "POST", body: "{}" });
        changed();
      } catch (err) {
        message.textContent = err instanceof ApiError ? err.problem.detail : String(err);
      }
    } }, t("bg.close")),
    message);
}

function reviewForm(g: Grant, changed: () => void): HTMLElement {
  const note = h("textarea", { id: `review-note-${g.id}`, name: "note", rows: 2, "aria-label": t("bg.note_for", { id: g.id }) });
  const message = h("span", { class: "field-error", "data-error-for": "note", role: "alert" });
  const form = h("form", { class: "break-glass-review", id: `review-${g.id}` },
    note, h("button", { type: "submit" }, t("bg.review")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api(`/api/break-glass/${g.id}/review`, { method: "POST", body: JSON.stringify({ note: note.value }) });
      changed();
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

function grantRow(g: Grant, oversees: boolean, me: string, changed: () => void): HTMLElement {
  const end = g.closed_at
    ? t("bg.closed_by", { when: when(g.closed_at), who: g.closed_by ?? "" })
    : g.open ? t("bg.open_until", { when: when(g.until) }) : t("bg.expired", { when: when(g.until) });
  const review = g.reviewed_by
    ? h("span", {}, t("bg.reviewed_by", { who: g.reviewed_by }), g.review_note ? h("br", {}) : null, g.review_note ?? "")
    : g.awaits_review && oversees && g.holder !== me ? reviewForm(g, changed)
      : g.awaits_review ? t("bg.waiting") : "";
  return h("tr", { id: `grant-${g.id}` },
    h("td", {}, String(g.id)), h("td", {}, g.holder), h("td", {}, when(g.opened_at)), h("td", {}, end),
    h("td", {}, g.reason), h("td", {}, review));
}

export async function renderBreakGlass(root: HTMLElement, user: Me, changed: () => void): Promise<void> {
  const list = await api<{ grants: Grant[]; awaiting_review: number }>("/api/break-glass");
  const oversees = user.break_glass_reviews !== undefined;
  root.append(h("h1", {}, t("bg.title")), h("p", {}, t("bg.intro")));
  if (user.break_glass) root.append(ownGrant(user.break_glass, changed));
  else if (user.may.break_glass) root.append(openForm(changed));
  root.append(h("section", { id: "break-glass-grants" },
    h("h2", {}, oversees ? t("bg.all", { n: list.awaiting_review }) : t("bg.mine")),
    list.grants.length === 0
      ? h("p", {}, t("bg.none"))
      : h("table", { class: "records" },
        h("thead", {}, h("tr", {}, ...["bg.col.id", "bg.col.holder", "bg.col.opened", "bg.col.end", "bg.col.reason", "bg.col.review"]
          .map((k) => h("th", { scope: "col" }, t(k as "bg.col.id"))))),
        h("tbody", {}, ...list.grants.map((g) => grantRow(g, oversees, user.username, changed))))));
}
