// One hazard: its map (original outline, what remains), land-release figures, linked
// activities and EO found, the orthophotos covering it, and its version history with what changed.
import maplibregl from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { api, type Me } from "../api";
import { bounds } from "../bounds";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import { label, loadVocab } from "../vocab";
import { recordEvidence } from "./record-evidence";

interface State {
  item: string; class: string; status: string; admin_pcode: string | null;
  original_m2: number; cancelled_m2: number; reduced_m2: number; cleared_m2: number; remaining_m2: number;
  geometry: GeoJSON.Geometry | null; remaining: GeoJSON.Geometry | null;
}
interface Version { item: string; kind: string; valid_from: string; recorded_at: string; report: number; record: Record<string, unknown> }

function changedFields(prev: Record<string, unknown> | null, next: Record<string, unknown>): string[] {
  if (!prev) return [];
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  return [...keys].filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k])).sort();
}


export async function renderHazard(root: HTMLElement, id: string, user: Me): Promise<void> {
  const [state, item, links, versions] = await Promise.all([
    api<State>(`/api/hazards/${id}/state`),
    api<Version>(`/api/items/${id}`),
    api<{ linked: (Version & { field: string })[] }>(`/api/items/${id}/links`),
    api<{ versions: Version[] }>(`/api/items/${id}/versions`),
  ]);
  await loadVocab();
  const rec = item.record;
  const covered = await recordEvidence("hazard", id, String(rec.local_id ?? ""));
  const mapBox = h("div", { class: "hazard-map", id: "hazard-map" });
  const figure = (label: Parameters<typeof t>[0], v: number, cls: string) =>
    h("tr", { class: cls }, h("th", {}, t(label)), h("td", { class: "num" }, `${num(v)} m²`));
  const activities = links.linked.filter((l) => l.kind === "activity");
  const finds = links.linked.filter((l) => l.kind === "eo_find");

  root.append(
    h("h1", {}, `${id} · ${String(rec.name ?? "")}`),
    h("p", {}, `${String(rec.local_id)} · ${t(`class.${state.class}` as "class.sha")} · ${t(`status.${state.status}` as "status.open")} · ${state.admin_pcode ?? ""} `,
      user.may.write_reports ? h("a", { href: `#/report?hazard=${id}`, id: "report-release" }, t("nav.report")) : ""),
    h("div", { class: "hazard-top" },
      mapBox,
      h("table", { class: "figures", id: "land-release" },
        h("caption", {}, t("hazard.area")),
        figure("hazard.original", state.original_m2, "original"),
        figure("hazard.cancelled", state.cancelled_m2, "cancelled"),
        figure("hazard.reduced", state.reduced_m2, "reduced"),
        figure("hazard.cleared", state.cleared_m2, "cleared"),
        figure("hazard.remaining", state.remaining_m2, "remaining"))),
    h("h2", {}, t("hazard.activities")),
    activities.length
      ? h("ul", { class: "activities" }, ...activities.map((a) => h("li", {},
          h("a", { href: `#/items/${a.item}` }, a.item), ` · ${label("activity_type", a.record.activity_type)} · ${label("activity_status", a.record.status)} · ${date(String(a.record.end_date ?? a.valid_from))} · `,
          ((a.record.released_areas as { method: string }[] | undefined) ?? []).map((r) => t(`method.${r.method}` as "method.cleared")).join(", "))))
      : h("p", {}, t("hazard.none")),
    h("h2", {}, t("hazard.eo")),
    finds.length
      ? h("ul", {}, ...finds.map((f) => h("li", {}, h("a", { href: `#/items/${f.item}` }, f.item), ` · ${label("ordnance_category", f.record.category)} ${String(f.record.model ?? "")} × ${String(f.record.quantity)}`)))
      : h("p", {}, t("hazard.none")),
    covered,
    h("h2", {}, t("hazard.history")),
    h("ol", { class: "timeline" }, ...versions.versions.map((v, i) => {
      const changed = changedFields(i > 0 ? versions.versions[i - 1].record : null, v.record);
      return h("li", {},
        h("strong", {}, t("hazard.version", { n: i + 1 })), ` · ${date(v.valid_from)} · report ${v.report}`,
        h("div", { class: "changed" }, i === 0 ? t("hazard.first") : `${t("hazard.changed")}: ${changed.join(", ") || "—"}`));
    })),
  );

  if (state.geometry) {
    const map = new maplibregl.Map({
      container: mapBox,
      bounds: bounds([state.geometry]),
      fitBoundsOptions: { padding: 30 },
      attributionControl: false,
      style: {
        version: 8,
        sources: {
          original: { type: "geojson", data: { type: "Feature", properties: {}, geometry: state.geometry } },
          remaining: { type: "geojson", data: { type: "Feature", properties: {}, geometry: state.remaining ?? { type: "MultiPolygon", coordinates: [] } } },
        },
        layers: [
          { id: "background", type: "background", paint: { "background-color": "#eef1ea" } },
          { id: "original", type: "fill", source: "original", paint: { "fill-color": "#a5d6a7", "fill-opacity": 0.6 } },
          { id: "remaining", type: "fill", source: "remaining", paint: { "fill-color": "#c62828", "fill-opacity": 0.7 } },
          { id: "outline", type: "line", source: "original", paint: { "line-color": "#7f0000", "line-width": 1.5 } },
        ],
      },
    });
    map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  }
}
