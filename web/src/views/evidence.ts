// Evidence from the field beyond reports (issue 28): orthophotos, detector output and machine
// tracks. The types of their API answers, the calls that fetch them and the map pieces the
// map, triage and track pages share. Figures are the server's; nothing is computed here.
import type { LayerSpecification, SourceSpecification } from "maplibre-gl";
import { ApiError, api, type Problem } from "../api";
import { num } from "../i18n";

/** An orthophoto (`GET /api/orthophotos`). */
export interface Orthophoto {
  id: number | string; name: string; width: number; height: number; bands: number; epsg: number | null;
  resolution_m: number; footprint: GeoJSON.Polygon; bbox: [number, number, number, number];
  minzoom: number; maxzoom: number; datum_shift?: string; hazards: string[]; activity: string | null; captured_on: string | null;
  organisation: string | null; size_bytes: number; added_by: string; added_at: string;
}

/** The verdicts a person gives a detection (`pending` until one does). */
export const VERDICTS = ["confirmed", "false_positive", "not_verifiable"] as const;
export type Verdict = (typeof VERDICTS)[number] | "pending";

/** A detection of a model (`GET /api/detections`). */
export interface Detection {
  id: number | string; run: number | string; orthophoto: number | string | null; model: string; model_version: string;
  class: string; confidence: number; lon: number; lat: number; footprint: GeoJSON.Polygon | null;
  verdict: Verdict; verdict_by: string | null; verdict_at: string | null; verdict_note: string | null;
  report: number | null; eo_find: string | null;
}

/** One bin of a reliability diagram. */
export interface CalibrationBin { from: number; to: number; count: number; mean_confidence: number; confirmed_share: number }

/** A model's figures for one class ("*": all its classes) (`GET /api/detections/metrics`). */
export interface MetricsRow {
  model: string; model_version: string; class: string; detections: number; confirmed: number;
  false_positive: number; not_verifiable: number; pending: number; precision: number | null;
  finds_in_footprint: number; finds_matched: number; recall: number | null;
  calibration: CalibrationBin[]; expected_calibration_error: number | null;
}

/** Fixes a track reader set aside, by reason. */
export interface Dropped {
  zero_zero: number; out_of_range: number; time_backwards: number; duplicate_time: number;
  poor_accuracy: number; speed_jump: number;
}

/** A machine track and its computed coverage (`GET /api/tracks`). */
export interface TrackSummary {
  id: number | string; activity: string; machine: string; kind: string; working_width_m: number;
  source_name: string; format: string; fixes: number; fixes_used: number; dropped: Dropped;
  task_m2: number; processed_m2: number; processed_outside_m2: number; coverage_pct: number;
  overlap_m2: number; gap_m2: number; engaged_length_m: number; started_at: string | null; ended_at: string | null;
  organisation: string | null; added_by: string; added_at: string;
}

/** A track with its geometries (`GET /api/tracks/{id}`). */
export interface TrackDetail {
  summary: TrackSummary;
  task: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  processed: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  gaps: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  overlaps: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  line: GeoJSON.MultiLineString | null;
  /** What the approved activity reports cleared, m² (null when it is not approved). */
  activity_cleared_m2: number | null;
}

/** The answer to a track upload (`POST /api/tracks?activity=…`, the file as the body): the track and the records that could not be read. */
export interface TrackUpload { track: TrackSummary; unreadable: { record: number | string; reason: string }[] }

export const orthophotos = () => api<Orthophoto[]>("/api/orthophotos");
export const detectionMetrics = () => api<{ rows: MetricsRow[] }>("/api/detections/metrics");

/** The detections with `verdict` (and of `model` when given), pending first by confidence. */
export function detections(verdict: Verdict, model = "", limit = 1000): Promise<{ items: Detection[]; total?: number }> {
  const q = new URLSearchParams({ verdict, limit: String(limit) });
  if (model) q.set("model", model);
  return api(`/api/detections?${q}`);
}

/** Gives `verdict` to detection `id`; the detection as it is now. */
export function giveVerdict(id: Detection["id"], body: { verdict: string; note?: string; category?: string; quantity?: number }): Promise<Detection> {
  return api<Detection>(`/api/detections/${encodeURIComponent(String(id))}/verdict`, { method: "POST", body: JSON.stringify(body) });
}

/** Posts a file as the request's body (nothing when `file` is null); problems raise an `ApiError`. */
export async function postFile<T>(path: string, file: File | null): Promise<T> {
  const resp = await fetch(path, {
    method: "POST", body: file ?? new Uint8Array(), credentials: "same-origin",
    headers: { "content-type": file?.type || "application/octet-stream" },
  });
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    const problem: Problem = body ?? { type: "about:blank", title: resp.statusText, status: resp.status, detail: resp.statusText };
    throw new ApiError(problem);
  }
  return body as T;
}

/** The records list of the activity with local id `localId`. */
export const activityHref = (localId: string) => `#/records/activity?local_id=${encodeURIComponent(localId)}`;

/** The style id of an orthophoto's raster source and layer. */
export const orthoId = (id: Orthophoto["id"]) => `ortho-${id}`;

/** An orthophoto as a MapLibre raster source: the server's 256 px tiles inside its bounds. */
export function orthoSource(o: Orthophoto): SourceSpecification {
  return {
    type: "raster",
    tiles: [`${location.origin}/api/orthophotos/${encodeURIComponent(String(o.id))}/tiles/{z}/{x}/{y}`],
    tileSize: 256, bounds: o.bbox, minzoom: o.minzoom, maxzoom: o.maxzoom,
  };
}

/** An orthophoto's raster layer, at `opacity` (0–1). */
export function orthoLayer(o: Orthophoto, opacity = 1, visible = true): LayerSpecification {
  return {
    id: orthoId(o.id), type: "raster", source: orthoId(o.id),
    layout: { visibility: visible ? "visible" : "none" }, paint: { "raster-opacity": opacity },
  };
}

/** A share (0–1) as a percentage with one decimal; an em dash when there is none. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : `${num(v * 100, 1)} %`;
}

/** An area in square metres. */
export const m2 = (v: number) => `${num(v)} m²`;

/** A GeoJSON feature of `geometry`, or an empty collection when there is none. */
export function feature(geometry: GeoJSON.Geometry | null | undefined): GeoJSON.Feature | GeoJSON.FeatureCollection {
  return geometry ? { type: "Feature", properties: {}, geometry } : { type: "FeatureCollection", features: [] };
}
