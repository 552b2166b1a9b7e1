// A national node's Sharing page: the sharing policy in force (GET /api/federation/policy) — per
// item kind whether it is shared, how precisely, with or without free text and which fields
// leave the node — the small-number rule, and how to change the policy (its TOML file, not here).
import { api } from "../api";
import { h } from "../dom";
import { LOCALES, num, t } from "../i18n";
import type { MessageKey } from "../locales/en";

interface KindSharing {
  kind: string; label: string; shared: boolean; precision: number | null;
  precision_m: number | null; free_text: boolean; fields: string[];
}

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

function kindLabel(k: KindSharing): string {
  const key = `sharing.kind.${k.kind}` as MessageKey;
  return key in LOCALES.en.messages ? t(key) : k.label;
}

export async function renderSharing(root: HTMLElement): Promise<void> {
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
      h("th", { scope: "row" }, kindLabel(k)),
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
  );
}
