// One machine track (#/tracks/{id}): its coverage map (the task outline, the processed area,
// the gaps, the overlaps and the track line) and the server's figures, with the fixes the
// reader set aside by reason. Processed is not cleared: the land counts as cleared only
// through the approved clearance report.
import maplibregl, { type Map as MapLibreMap } from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { api } from "../api";
import { bounds } from "../bounds";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { type Dropped, type TrackDetail, activityHref, feature, m2 } from "./evidence";
import { coverage, notClearedRule } from "./tracks";

/** The map's layers, in the legend's order: id, colour, legend text. */
const LEGEND: [string, string, MessageKey][] = [
  ["task", "#1d2a1f", "tracks.legend.task"],
  ["processed", "#2e7d32", "tracks.legend.processed"],
  ["gaps", "#d32f2f", "tracks.legend.gaps"],
  ["overlaps", "#ef6c00", "tracks.legend.overlaps"],
  ["line", "#1565c0", "tracks.legend.line"],
];

const DROPPED: (keyof Dropped)[] = ["zero_zero", "out_of_range", "time_backwards", "duplicate_time", "poor_accuracy", "speed_jump"];

/** The track page. */
export async function renderTrack(root: HTMLElement, id: string): Promise<void> {
  const d = await api<TrackDetail>(`/api/tracks/${encodeURIComponent(id)}`);
  if (!root.isConnected) return; // the user moved on while it loaded
  const s = d.summary;
  const row = (key: MessageKey, value: string, cls: string) =>
    h("tr", { class: cls }, h("th", { scope: "row" }, t(key)), h("td", { class: "num" }, value));
  const droppedTotal = DROPPED.reduce((a, k) => a + (s.dropped[k] ?? 0), 0);
  const mapBox = h("div", { id: "track-map", class: "hazard-map track-map" });
  root.append(
    h("p", {}, h("a", { href: "#/tracks" }, `← ${t("tracks.title")}`)),
    h("h1", {}, t("tracks.track_title", { machine: s.machine, activity: s.activity })),
    h("p", {}, [t(s.kind === "robot" ? "tracks.kind.robot" : "tracks.kind.machine"), s.source_name, s.format.toUpperCase(),
      [date(s.started_at), date(s.ended_at)].filter(Boolean).join(" – "), s.organisation ?? ""].filter(Boolean).join(" · "), " · ",
      h("a", { href: activityHref(s.activity), id: "track-activity-link" }, t("tracks.open_activity", { id: s.activity }))),
    notClearedRule(),
    h("div", { class: "hazard-top" },
      h("div", {}, mapBox,
        h("ul", { class: "review-legend", id: "track-legend", "aria-label": t("map.legend") },
          ...LEGEND.map(([layer, colour, key]) => h("li", {},
            h("span", { class: `swatch${layer === "gaps" ? " hatch" : ""}${layer === "task" || layer === "line" ? " outline" : ""}`, style: `background-color:${layer === "task" ? "transparent" : colour};border-color:${colour}` }),
            t(key))))),
      h("div", {},
        h("table", { class: "figures", id: "track-figures" },
          h("caption", {}, t("tracks.figures")),
          h("tbody", {},
            row("tracks.task_area", m2(s.task_m2), "task"),
            row("tracks.processed_inside", m2(s.processed_m2), "processed"),
            ...(d.activity_cleared_m2 == null ? [] : [row("tracks.cleared_by_report", m2(d.activity_cleared_m2), "cleared")]),
            row("tracks.coverage", coverage(s.coverage_pct), "coverage remaining"),
            row("tracks.gaps", m2(s.gap_m2), "gaps"),
            row("tracks.overlaps", m2(s.overlap_m2), "overlaps"),
            row("tracks.outside", m2(s.processed_outside_m2), "outside"),
            row("tracks.engaged_length", `${num(s.engaged_length_m)} m`, "engaged"),
            row("tracks.width", `${num(s.working_width_m, 2)} m`, "width"))),
        h("table", { class: "figures", id: "track-fixes" },
          h("caption", {}, t("tracks.fixes")),
          h("tbody", {},
            row("tracks.fixes_read", num(s.fixes), "fixes"),
            row("tracks.fixes_used", num(s.fixes_used), "used"),
            row("tracks.dropped_total", num(droppedTotal), "dropped"),
            ...DROPPED.map((k) => row(`tracks.dropped.${k}` as MessageKey, num(s.dropped[k] ?? 0), `dropped-${k}`)))))),
  );

  const all = [d.task, d.processed, d.line].filter(Boolean);
  if (!all.length) return;
  const map = new maplibregl.Map({
    container: mapBox,
    bounds: bounds(all),
    fitBoundsOptions: { padding: 30 },
    attributionControl: false,
    style: {
      version: 8,
      sources: {
        task: { type: "geojson", data: feature(d.task) },
        processed: { type: "geojson", data: feature(d.processed) },
        gaps: { type: "geojson", data: feature(d.gaps) },
        overlaps: { type: "geojson", data: feature(d.overlaps) },
        line: { type: "geojson", data: feature(d.line) },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#eef1ea" } },
        // The track under the areas, thin: a machine's passes lie a working width apart.
        { id: "line", type: "line", source: "line",
          paint: { "line-color": "#1565c0", "line-opacity": 0.6, "line-width": ["interpolate", ["linear"], ["zoom"], 14, 0.2, 18, 0.8, 21, 2] } },
        { id: "processed", type: "fill", source: "processed", paint: { "fill-color": "#2e7d32", "fill-opacity": 0.5 } },
        { id: "overlaps", type: "fill", source: "overlaps", paint: { "fill-color": "#ef6c00", "fill-opacity": 0.7 } },
        { id: "gaps", type: "fill", source: "gaps", paint: { "fill-color": "#d32f2f", "fill-opacity": 0.75 } },
        { id: "gaps-line", type: "line", source: "gaps", paint: { "line-color": "#8e0000", "line-width": 1 } },
        { id: "task", type: "line", source: "task", paint: { "line-color": "#1d2a1f", "line-width": 2.5, "line-dasharray": [3, 2] } },
      ],
    },
  });
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  (window as unknown as { sgTrackMap: MapLibreMap }).sgTrackMap = map;
}
