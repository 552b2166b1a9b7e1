// The regional hub's page: a row per national programme with the records it shares, its last
// bundle and how fresh that is (from /api/hub/nodes), then the regional figures (region-figures.ts).
import { api } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { renderRegionFigures } from "./region-figures";

interface HubNode {
  node: string; name: string; fingerprint: string; checkpoint: number;
  last_bundle_at: string | null; lag_hours: number | null; lag_days: number | null;
  freshness: "fresh" | "stale" | "never"; records: Record<string, number>; total_records: number;
}

/** The kinds shown as columns, with their labels. */
const KINDS: [string, MessageKey][] = [
  ["hazard", "nav.hazards"], ["activity", "kind.activity"], ["eo_find", "kind.eo_find"],
  ["accident", "kind.accident"], ["victim", "kind.victim"], ["risk_education", "kind.risk_education"],
];

function lag(n: HubNode): string {
  if (n.lag_hours === null || n.lag_days === null) return "";
  return t("region.lag_value", { days: n.lag_days, hours: n.lag_hours - 24 * n.lag_days });
}

export async function renderRegion(root: HTMLElement): Promise<void> {
  const nodes = await api<HubNode[]>("/api/hub/nodes");
  root.append(h("h1", {}, t("region.title")), h("p", { class: "note" }, t("region.intro")),
    h("p", {}, h("a", { href: "#/region/map", id: "region-map-link" }, t("region.map_link"))));
  if (nodes.length === 0) {
    root.append(h("p", { id: "region-empty" }, t("region.none")));
    return;
  }
  const th = (label: string, numeric = false) => h("th", { scope: "col", class: numeric ? "num" : undefined }, label);
  const td = (v: string, numeric = false) => h("td", { class: numeric ? "num" : undefined }, v);
  root.append(h("table", { class: "list", id: "region-nodes" },
    h("thead", {}, h("tr", {},
      th(t("region.country")), th(t("region.node")),
      ...KINDS.map(([, label]) => th(t(label), true)), th(t("region.total"), true),
      th(t("region.last_bundle")), th(t("region.lag")), th(t("region.freshness")))),
    h("tbody", {}, ...nodes.map((n) => h("tr", { "data-node": n.node },
      h("th", { scope: "row" }, n.name), td(n.node),
      ...KINDS.map(([kind]) => td(num(n.records[kind] ?? 0), true)), td(num(n.total_records), true),
      td(n.last_bundle_at ? date(n.last_bundle_at) : t("region.never")), td(lag(n)),
      h("td", {}, h("span", { class: `freshness ${n.freshness}`, title: t("region.fresh_rule") },
        t(`region.${n.freshness}`))))))));
  await renderRegionFigures(root);
}
