// MapLibre GL JS with its web worker bundled by Vite (served from /assets, never a CDN).
import * as maplibregl from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";

maplibregl.setWorkerUrl(workerUrl);

export default maplibregl;
export type { FilterSpecification, GeoJSONSource, Map, MapLayerMouseEvent } from "maplibre-gl";
