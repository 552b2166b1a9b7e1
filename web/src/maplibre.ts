// MapLibre GL JS with its web worker bundled by Vite (served from /assets, never a CDN).
import * as maplibregl from "maplibre-gl";
import type { LayerSpecification, SourceSpecification } from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";

maplibregl.setWorkerUrl(workerUrl);

export default maplibregl;
export type { FilterSpecification, GeoJSONSource, Map, MapLayerMouseEvent } from "maplibre-gl";

/** What lies under a map's data: the plain background, then the configured raster basemap
 * (`serve --basemap-url`; none by default), as style sources and layers to spread in. */
export function basemap(url: string | null): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  return {
    sources: url ? { basemap: { type: "raster" as const, tiles: [url], tileSize: 256 } } : {},
    layers: [
      { id: "background", type: "background" as const, paint: { "background-color": "#eef1ea" } },
      ...(url ? [{ id: "basemap", type: "raster" as const, source: "basemap" }] : []),
    ],
  };
}
