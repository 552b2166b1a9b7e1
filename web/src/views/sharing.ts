// A national node's Sharing page: the sharing policy in force (GET /api/federation/policy) — per
// item kind whether it is shared, how precisely, with or without free text and which fields
// leave the node — the small-number rule, how to change the policy (its TOML file, not here),
// and the items withdrawn from sharing (GET /api/federation/withdrawals): administrators of the
// national authority withdraw an item or share it again here, approvers see the list.
import { ApiError, api, type Me } from "../api";
import { clear, h } from "../dom";
import { LOCALES, date, num, t } from "../i18n";
import { itemHref } from "../show";
import type { MessageKey } from "../locales/en";

interface KindSharing {
  kind: string; label: string; shared: boolean; precision: number | null;
  precision_m: number | null; free_text: boolean; fields: string[];
}

interface WithdrawnItem {
  item: string; kind: string; local_id: string; reason: string; withdrawn_by: string; withdrawn_at: string;
}

interface SharingChange { item: string; seq: number }

interface SharingPolicy {
  node: string; source: "default" | "file"; file: string | null;
  suppression: { threshold: number; kinds: string[] }; kinds: KindSharing[];
}

/** About `m` metres, in cm, m or km with two significant digits at most. */
function size(m: number): string {
  const two = (x: number) => num(x, x < 10 ? 1 : 0);
  if (m >= 1000) return t("sharing.km", { n: two(m / 1000) });
  if (m >= 1) return t("sharing.m", { n: two(m) });
  return t("sharing.cm", { n: two(m * 100) });
}

function kindLabel(kind: string, fallback: string): string {
  const key = `sharing.kind.${kind}` as MessageKey;
  return key in LOCALES.en.messages ? t(key) : fallback;
}

/** A time of day with its date, in the browser's time zone. */
function when(iso: string): string {
  const time = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `${date(iso)} ${time}`;
}

/** The items withdrawn from sharing; for administrators (`manage`) the form that withdraws one
 *  and a button per item that shares it again. */
async function withdrawn(manage: boolean): Promise<HTMLElement> {
  const body = h("div", { id: "sharing-withdrawn-body" });
  const message = h("p", { id: "withdraw-message", class: "form-message", role: "status" });
  const say = (text: string, ok: boolean) => {
    message.className = ok ? "form-message ok" : "form-message error";
    message.textContent = text;
  };
  const errorSlots = (form: HTMLElement | null) =>
    form?.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
  let form: HTMLFormElement | null = null;

  /** Shows the problem of `e`: its detail beside the form, each field's message beside the field. */
  const problem = (e: unknown) => {
    errorSlots(form);
    if (!(e instanceof ApiError)) {
      say(String(e), false);
      return;
    }
    say(e.problem.detail, false);
    for (const err of e.problem.errors ?? []) {
      const slot = form?.querySelector<HTMLElement>(`[data-error-for="${err.field}"]`);
      if (slot) slot.textContent = err.message;
    }
  };

  const th = (label: string) => h("th", { scope: "col" }, label);
  async function load(): Promise<void> {
    const list = await api<WithdrawnItem[]>("/api/federation/withdrawals");
    clear(body);
    body.append(list.length === 0
      ? h("p", { id: "sharing-withdrawn-none" }, t("sharing.withdrawn.none"))
      : h("table", { class: "list", id: "sharing-withdrawn-list" },
        h("caption", {}, t("sharing.withdrawn.caption")),
        h("thead", {}, h("tr", {},
          th(t("sharing.withdrawn.item")), th(t("sharing.kind")), th(t("sharing.withdrawn.local_id")),
          th(t("sharing.withdrawn.reason")), th(t("sharing.withdrawn.by")), th(t("sharing.withdrawn.when")),
          manage ? th(t("sharing.withdrawn.action")) : null)),
        h("tbody", {}, ...list.map((w) => h("tr", { "data-item": w.item },
          h("td", { class: "item" }, h("a", { href: itemHref(w.item) }, w.item)),
          h("td", { class: "kind" }, kindLabel(w.kind, w.kind)),
          h("td", { class: "local-id" }, w.local_id),
          h("td", { class: "reason" }, w.reason),
          h("td", { class: "by" }, w.withdrawn_by),
          h("td", { class: "when" }, h("time", { datetime: w.withdrawn_at }, when(w.withdrawn_at))),
          manage ? h("td", {}, h("button", {
            type: "button", class: "reshare", "aria-label": t("sharing.withdrawn.reshare_item", { item: w.item }),
            onclick: () => void reshare(w.item),
          }, t("sharing.withdrawn.reshare"))) : null)))));
  }

  async function reshare(item: string): Promise<void> {
    errorSlots(form);
    try {
      const done = await api<SharingChange>(`/api/federation/withdrawals/${encodeURIComponent(item)}`, { method: "DELETE" });
      say(t("sharing.withdrawn.reshared", { item: done.item }), true);
    } catch (e) {
      problem(e);
    }
    await load();
  }

  const section = h("section", { id: "sharing-withdrawn" },
    h("h2", {}, t("sharing.withdrawn.title")),
    h("p", { class: "note" }, t("sharing.withdrawn.intro")),
    body);
  if (manage) {
    const item = h("input", { id: "withdraw-item", name: "item", type: "text", autocomplete: "off", placeholder: "HAZ-000001" });
    const reason = h("textarea", { id: "withdraw-reason", name: "reason", rows: 2 });
    form = h("form", { id: "withdraw-form", class: "withdraw-form" },
      h("h3", {}, t("sharing.withdraw.title")),
      h("label", { class: "field" }, t("sharing.withdraw.item"), item,
        h("span", { class: "field-error", "data-error-for": "item" })),
      h("label", { class: "field" }, t("sharing.withdraw.reason"), reason,
        h("span", { class: "field-error", "data-error-for": "reason" })),
      h("button", { type: "submit", id: "withdraw-submit" }, t("sharing.withdraw.submit")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      errorSlots(form);
      try {
        const done = await api<SharingChange>("/api/federation/withdrawals", {
          method: "POST", body: JSON.stringify({ item: item.value.trim(), reason: reason.value }),
        });
        say(t("sharing.withdrawn.done", { item: done.item }), true);
        item.value = "";
        reason.value = "";
      } catch (err) {
        problem(err);
        return;
      }
      await load();
    });
    section.append(form);
  }
  section.append(message);
  await load();
  return section;
}

export async function renderSharing(root: HTMLElement, user: Me): Promise<void> {
  const p = await api<SharingPolicy>("/api/federation/policy");
  root.append(
    h("h1", {}, t("sharing.title")),
    h("p", { class: "note" }, t("sharing.intro", { node: p.node })),
    h("p", { id: "sharing-source" }, p.file ? t("sharing.source_file", { file: p.file }) : t("sharing.source_default")),
    h("p", { id: "sharing-personal", class: "note" }, t("sharing.personal")),
  );
  const th = (label: string) => h("th", { scope: "col" }, label);
  const yes = (b: boolean) => (b ? t("sharing.yes") : t("sharing.no"));
  root.append(h("table", { class: "list", id: "sharing-kinds" },
    h("caption", {}, t("sharing.caption")),
    h("thead", {}, h("tr", {},
      th(t("sharing.kind")), th(t("sharing.shared")), th(t("sharing.precision")),
      th(t("sharing.free_text")), th(t("sharing.fields")))),
    h("tbody", {}, ...p.kinds.map((k) => h("tr", { "data-kind": k.kind, class: k.shared ? "shared" : "not-shared" },
      h("th", { scope: "row" }, kindLabel(k.kind, k.label)),
      h("td", { class: "shared" }, yes(k.shared)),
      h("td", { class: "precision" }, k.precision === null || k.precision_m === null
        ? (k.shared ? t("sharing.no_coordinates") : "—")
        : t("sharing.places", { n: k.precision, size: size(k.precision_m) })),
      h("td", { class: "free-text" }, k.shared ? yes(k.free_text) : "—"),
      h("td", { class: "fields" }, k.fields.length === 0 ? "—"
        : k.fields.flatMap((f, i) => [i > 0 ? ", " : null, h("code", {}, f)])))))));
  root.append(
    h("h2", {}, t("sharing.suppression_title")),
    h("p", { id: "sharing-suppression" }, t("sharing.suppression", { n: p.suppression.threshold, persons: p.suppression.threshold })),
    h("h2", {}, t("sharing.change_title")),
    h("p", { id: "sharing-change" }, t("sharing.change")),
    await withdrawn(user.national && user.role === "administrator"),
  );
}
