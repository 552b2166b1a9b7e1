// Any record's page: its fields, its place on a map, its files, an activity's drone and machine
// evidence, and its version history with what changed.
import maplibregl from "../maplibre";
import { api } from "../api";
import { bounds } from "../bounds";
import { h } from "../dom";
import { date, t } from "../i18n";
import { resolveItems, showValue } from "../show";
import { fieldLabel, loadVocab } from "../vocab";
import { attachmentList, type Attachment } from "./attachments";
import { recordEvidence } from "./record-evidence";

interface Version { item: string; kind: string; valid_from: string; report: number; record: Record<string, unknown> }

function show(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}


export async function renderItem(root: HTMLElement, id: string): Promise<void> {
  const [item, versions] = await Promise.all([
    api<Version>(`/api/items/${id}`),
    api<{ versions: Version[] }>(`/api/items/${id}/versions`),
  ]);
  await loadVocab();
  const rec = item.record;
  // The record's photos and files (accident files only for writers and personal-data roles:
  // others get a 403 and see none).
  const localId = typeof rec.local_id === "string" ? rec.local_id : "";
  const files = localId
    ? await api<Attachment[]>(`/api/items/${item.kind}/${encodeURIComponent(localId)}/attachments`).catch(() => [])
    : [];
  const evidence = item.kind === "activity" && localId ? await recordEvidence("activity", id, localId) : null;
  await resolveItems(Object.values(rec));
  const geoms: GeoJSON.Geometry[] = [];
  for (const k of ["geometry", "location"]) if (rec[k]) geoms.push(rec[k] as GeoJSON.Geometry);
  for (const a of (rec.released_areas as { geometry: GeoJSON.Geometry }[] | undefined) ?? []) geoms.push(a.geometry);
  const mapBox = h("div", { class: "hazard-map", id: "item-map" });
  root.append(
    h("h1", {}, `${id} · ${t(`kind.${item.kind}` as "kind.victim")}`),
    h("div", { class: "hazard-top" },
      geoms.length ? mapBox : h("div", {}),
      h("table", { class: "figures", id: "item-fields" }, ...Object.entries(rec)
        .filter(([k]) => !["kind", "geometry", "location"].includes(k))
        .map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, fieldLabel(k)), h("td", {}, ...showValue(item.kind, k, v)))))),
    attachmentList(files) ?? "",
    evidence ?? "",
    h("h2", {}, t("hazard.history")),
    h("ol", { class: "timeline" }, ...versions.versions.map((v, i) => {
      const prev = i > 0 ? versions.versions[i - 1].record : null;
      const changed = prev ? Object.keys({ ...prev, ...v.record }).filter((k) => show(prev[k]) !== show(v.record[k])) : [];
      return h("li", {}, h("strong", {}, t("hazard.version", { n: i + 1 })), ` · ${date(v.valid_from)} · report ${v.report}`,
        h("div", { class: "changed" }, i === 0 ? t("hazard.first") : `${t("hazard.changed")}: ${changed.join(", ") || "—"}`));
    })),
  );
  if (geoms.length) {
    new maplibregl.Map({
      container: mapBox, attributionControl: false,
      bounds: bounds(geoms, 0.002),
      style: { version: 8, sources: {
        hazards: { type: "vector", url: `${location.origin}/tiles/hazards.json` },
        item: { type: "geojson", data: { type: "FeatureCollection", features: geoms.map((g) => ({ type: "Feature", properties: {}, geometry: g })) } },
      }, layers: [
        { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
        { id: "hazards", type: "fill", source: "hazards", "source-layer": "hazards", paint: { "fill-color": "#c62828", "fill-opacity": 0.3 } },
        { id: "fill", type: "fill", source: "item", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#1b5e20", "fill-opacity": 0.6 } },
        { id: "point", type: "circle", source: "item", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#4527a0", "circle-radius": 7 } },
      ] },
    });
  }
}
