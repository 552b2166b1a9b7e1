// The offline map: "Download this area" asks the server for the current view as one PMTiles
// file (`GET /api/tiles/pack`), kept on the device (IndexedDB); the map then reads its tiles
// from that file through the pmtiles protocol, with no connection. Hazards are filled by status,
// released areas and EO finds drawn, basemap layers in the pack drawn plainly; the GPS position
// is shown. Without a stored area and online, the server's tiles are shown to choose one.
import maplibregl, { type GeoJSONSource } from "../maplibre";
import type { LayerSpecification, Map as MapLibreMap, SourceSpecification, StyleSpecification } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { FileSource, PMTiles, Protocol } from "pmtiles";
import type { Me } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import * as db from "../field/db";
import { fieldTabs } from "./field";

/** A stored area. */
interface Pack { id: "area"; blob: Blob; bbox: [number, number, number, number]; maxzoom: number; saved_at: string }

let protocol: Protocol | null = null;

const HAZARD_PAINT = {
  "fill-color": ["match", ["get", "status"], "open", "#c62828", "worked_on", "#ef6c00", "closed", "#9e9e9e", "handed_over", "#9e9e9e", "#c62828"],
  "fill-opacity": ["match", ["get", "status"], ["closed", "handed_over"], 0.2, 0.55],
} as const;

const BACKGROUND: LayerSpecification = { id: "background", type: "background", paint: { "background-color": "#eef1ea" } };

/** The layers drawn from the stored pack (its vector layer ids `layers`; the basemap's drawn
 *  plainly) or, with `layers` null, from the server's tile sources: hazards, the land released
 *  in them, EO finds. */
function layersFor(layers: string[] | null): LayerSpecification[] {
  const out: LayerSpecification[] = [BACKGROUND];
  const base = (id: string): LayerSpecification | null => {
    const common = { id: `base-${id}`, source: "pack", "source-layer": id };
    if (/water|ocean|river|lake/.test(id)) return { ...common, type: "fill", paint: { "fill-color": "#a9cce3" } };
    if (/landuse|landcover|park|wood|forest/.test(id)) return { ...common, type: "fill", paint: { "fill-color": "#dfe8d4", "fill-opacity": 0.8 } };
    if (/road|transport|street|highway/.test(id)) return { ...common, type: "line", paint: { "line-color": "#a1887f", "line-width": ["interpolate", ["linear"], ["zoom"], 8, 1, 16, 4] } };
    if (/boundar|admin/.test(id)) return { ...common, type: "line", paint: { "line-color": "#8d6e63", "line-dasharray": [3, 2] } };
    if (/place|poi|settlement|village/.test(id)) return { ...common, type: "circle", paint: { "circle-color": "#455a64", "circle-radius": 3 } };
    return null;
  };
  const ours = new Set(["hazards", "released-areas", "eo-finds", "accidents"]);
  for (const id of layers ?? []) {
    const l = ours.has(id) ? null : base(id);
    if (l) out.push(l);
  }
  const src = (id: string) => ({ source: layers ? "pack" : id, "source-layer": id });
  out.push(
    { id: "hazards-fill", type: "fill", ...src("hazards"), paint: HAZARD_PAINT as never },
    { id: "released-fill", type: "fill", ...src("released-areas"), paint: { "fill-color": "#2e7d32", "fill-opacity": 0.75 } },
    { id: "hazards-line", type: "line", ...src("hazards"), paint: { "line-color": "#7f0000", "line-width": 1.5 } },
    { id: "eo-points", type: "circle", ...src("eo-finds"), paint: { "circle-color": "#4527a0", "circle-radius": ["interpolate", ["linear"], ["zoom"], 8, 2, 16, 6], "circle-stroke-color": "#fff", "circle-stroke-width": 1 } },
  );
  return out;
}

async function packStyle(pack: Pack): Promise<{ style: StyleSpecification; bounds: [number, number, number, number] }> {
  if (!protocol) {
    protocol = new Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
  }
  const key = `area-${pack.saved_at.replace(/\W/g, "")}`;
  const archive = new PMTiles(new FileSource(new File([pack.blob], key)));
  protocol.add(archive);
  const header = await archive.getHeader();
  const meta = await archive.getMetadata().catch(() => ({})) as { vector_layers?: { id: string }[] };
  const layers = meta.vector_layers?.map((l) => l.id) ?? ["hazards", "released-areas", "eo-finds"];
  return {
    style: { version: 8, sources: { pack: { type: "vector", url: `pmtiles://${key}` } }, layers: layersFor(layers) },
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
  };
}

async function serverStyle(): Promise<{ style: StyleSpecification; bounds: [number, number, number, number] }> {
  const tilejson = await (await fetch("/tiles/hazards.json", { credentials: "same-origin" })).json() as { bounds: [number, number, number, number] };
  const o = location.origin;
  const sources: Record<string, SourceSpecification> = {
    hazards: { type: "vector", url: `${o}/tiles/hazards.json` },
    "released-areas": { type: "vector", url: `${o}/tiles/released-areas.json` },
    "eo-finds": { type: "vector", url: `${o}/tiles/eo-finds.json` },
  };
  return { style: { version: 8, sources, layers: layersFor(null) }, bounds: tilejson.bounds };
}

/** Shows the device's position on `map` (and its accuracy in `label`) while the page is open. */
function followGps(map: MapLibreMap, label: HTMLElement): void {
  if (!("geolocation" in navigator)) return;
  // The last fix, drawn once the style has loaded if it came before.
  let last: GeoJSON.Point | GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };
  map.on("load", () => {
    map.addSource("me", { type: "geojson", data: last });
    map.addLayer({ id: "me", type: "circle", source: "me", paint: { "circle-color": "#1565c0", "circle-radius": 7, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
  });
  const id = navigator.geolocation.watchPosition((p) => {
    if (!label.isConnected) { navigator.geolocation.clearWatch(id); return; }
    label.textContent = t("field.gps_fix", { lon: p.coords.longitude.toFixed(6), lat: p.coords.latitude.toFixed(6), accuracy: num(p.coords.accuracy) });
    last = { type: "Point", coordinates: [p.coords.longitude, p.coords.latitude] };
    (map.getSource("me") as GeoJSONSource | undefined)?.setData(last);
  }, (e) => { label.textContent = t("field.gps_failed", { detail: e.message }); }, { enableHighAccuracy: true, maximumAge: 10000 });
}

export async function renderFieldMap(root: HTMLElement, _user: Me): Promise<void> {
  const pack = await db.get<Pack>("tiles", "area").catch(() => undefined);
  const info = h("p", { id: "map-pack-info" }, pack
    ? t("field.map_stored", { size: num(pack.blob.size / 1048576, 2), date: date(pack.saved_at), zoom: pack.maxzoom })
    : t("field.map_none"));
  const message = h("p", { id: "map-message", role: "status" });
  const gps = h("p", { id: "map-gps", class: "muted", "aria-live": "polite" });
  const container = h("div", { id: "field-map-view", class: "map field-map" });
  const download = h("button", { type: "button", id: "map-download", disabled: !navigator.onLine }, pack ? t("field.map_replace") : t("field.map_download"));
  const remove = h("button", { type: "button", id: "map-delete", disabled: !pack }, t("field.map_delete"));
  root.append(fieldTabs("field-map"), h("h1", {}, t("field.map")), info, h("div", { class: "actions" }, download, remove), message, gps, container);

  let chosen: { style: StyleSpecification; bounds: [number, number, number, number] } | null = null;
  try {
    chosen = pack ? await packStyle(pack) : navigator.onLine ? await serverStyle() : null;
  } catch (e) {
    message.textContent = t("error.generic", { detail: String((e as Error).message ?? e) });
  }
  if (!chosen) message.textContent ||= t("field.map_offline_none");
  const map = new maplibregl.Map({
    container, attributionControl: false,
    style: chosen?.style ?? { version: 8, sources: {}, layers: [BACKGROUND] },
    ...(chosen ? { bounds: chosen.bounds, fitBoundsOptions: { padding: 10 } } : { center: [104.92, 11.55], zoom: 10 }),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  (window as unknown as { sgFieldMap: MapLibreMap }).sgFieldMap = map;
  followGps(map, gps);

  download.addEventListener("click", async () => {
    const b = map.getBounds();
    const bbox: Pack["bbox"] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => Math.round(x * 1e5) / 1e5) as Pack["bbox"];
    // Four zoom levels of detail below the view, at most 16 (the pack stays small).
    const maxzoom = Math.min(16, Math.max(10, Math.ceil(map.getZoom()) + 4));
    download.disabled = true;
    message.textContent = t("field.map_downloading");
    try {
      const resp = await fetch(`/api/tiles/pack?bbox=${bbox.join(",")}&maxzoom=${maxzoom}`, { credentials: "same-origin" });
      if (!resp.ok) {
        const p = await resp.json().catch(() => null) as { detail?: string } | null;
        throw new Error(p?.detail ?? `${resp.status} ${resp.statusText}`);
      }
      const blob = await resp.blob();
      await db.put("tiles", { id: "area", blob, bbox, maxzoom, saved_at: new Date().toISOString() } satisfies Pack);
      root.replaceChildren();
      await renderFieldMap(root, _user);
    } catch (e) {
      message.textContent = db.isQuotaError(e) ? t("field.full") : t("field.map_failed", { detail: String((e as Error).message ?? e) });
      download.disabled = false;
    }
  });
  remove.addEventListener("click", async () => {
    if (!confirm(t("field.map_delete_confirm"))) return;
    await db.del("tiles", "area");
    root.replaceChildren();
    await renderFieldMap(root, _user);
  });
}
