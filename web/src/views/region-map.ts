// The regional hub's map: the hazards and EO finds every national programme shares, coloured
// by country, from the hub's own vector tiles (/api/hub/tiles, no CDN, no external basemap),
// with a legend and the hazards near a border (/api/hub/border-hazards) beside the map.
import maplibregl, { basemap, type Map as MapLibreMap, type MapLayerMouseEvent } from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { api } from "../api";
import { h } from "../dom";
import { num, t } from "../i18n";

interface MapNode { node: string; name: string; hazards: number; eo_finds: number; bounds: [number, number, number, number] | null }
interface HubTileJson { bounds: [number, number, number, number]; nodes: MapNode[] }
interface BorderHazard {
  node: string; local_id: string; name: string;
  other_node: string; other_local_id: string; other_name: string; distance_m: number;
}

/** Country colours, in node order (swatches beside the country's name in the legend). */
const PALETTE = ["#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"];

/** The distance of the border list, metres. */
const WITHIN_M = 5000;

export async function renderRegionMap(root: HTMLElement): Promise<void> {
  const [tilejson, border, config] = await Promise.all([
    api<HubTileJson>("/api/hub/tiles.json"),
    api<{ within_m: number; hazards: BorderHazard[] }>(`/api/hub/border-hazards?within_m=${WITHIN_M}`),
    api<{ basemap_url: string | null }>("/api/config"),
  ]);
  if (!root.isConnected) return; // the user moved on while it loaded
  const colour = new Map(tilejson.nodes.map((n, i) => [n.node, PALETTE[i % PALETTE.length]]));
  const name = new Map(tilejson.nodes.map((n) => [n.node, n.name]));
  const container = h("div", { id: "region-map", class: "map" });

  const legend = h("div", { class: "legend", id: "region-map-legend" },
    h("h2", { class: "panel-title" }, t("map.legend")),
    h("ul", {}, ...tilejson.nodes.map((n) => h("li", { "data-node": n.node },
      h("span", { class: "swatch", style: `background:${colour.get(n.node)}` }),
      `${n.name} (${n.node}): ${t("regionmap.count", { hazards: num(n.hazards), finds: num(n.eo_finds) })}`))));

  const rows = border.hazards.map((b) => h("tr", { "data-node": b.node, "data-other": b.other_node },
    h("td", {}, b.node),
    h("td", {}, h("a", { href: "#", class: "fly", onclick: (e: Event) => { e.preventDefault(); flyTo(b.node, b.local_id); } },
      b.local_id), h("br", {}), h("small", {}, b.name)),
    h("td", {}, b.other_node),
    h("td", {}, b.other_local_id, h("br", {}), h("small", {}, b.other_name)),
    h("td", { class: "num" }, num(b.distance_m))));
  const borderList = h("section", { id: "region-border", "aria-labelledby": "region-border-title" },
    h("h2", { class: "panel-title", id: "region-border-title" }, t("regionmap.border_title", { km: num(WITHIN_M / 1000) })),
    h("p", { class: "note" }, t("regionmap.border_rule")),
    rows.length === 0
      ? h("p", { id: "region-border-none" }, t("regionmap.border_none"))
      : h("table", { class: "list compact", id: "region-border-hazards" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("region.node")), h("th", { scope: "col" }, t("regionmap.hazard")),
          h("th", { scope: "col" }, t("regionmap.other")), h("th", { scope: "col" }, t("regionmap.nearest")),
          h("th", { scope: "col", class: "num" }, t("regionmap.distance")))),
        h("tbody", {}, ...rows)));

  const panel = h("aside", { class: "panel", "aria-label": t("regionmap.panel") },
    h("h1", { class: "panel-title" }, t("regionmap.title")),
    h("a", { href: "#/region" }, t("regionmap.back")),
    legend,
    borderList,
  );
  root.append(h("div", { class: "map-page region-map-page" }, container, panel));

  const byNode: unknown[] = ["match", ["get", "node"]];
  for (const [node, c] of colour) byNode.push(node, c);
  byNode.push("#757575");
  const map = new maplibregl.Map({
    container,
    bounds: tilejson.bounds,
    fitBoundsOptions: { padding: 20 },
    attributionControl: false,
    style: {
      version: 8,
      sources: {
        hub: { type: "vector", url: `${location.origin}/api/hub/tiles.json` },
        ...basemap(config.basemap_url).sources,
      },
      layers: [
        ...basemap(config.basemap_url).layers,
        {
          id: "hub-hazards-fill", type: "fill", source: "hub", "source-layer": "hazards",
          paint: {
            "fill-color": byNode as never,
            "fill-opacity": ["match", ["get", "status"], ["closed", "handed_over"], 0.25, 0.7],
          },
        },
        {
          id: "hub-hazards-line", type: "line", source: "hub", "source-layer": "hazards",
          // Thick at the zooms that show the whole region, where a hazard is a one-pixel square.
          paint: { "line-color": byNode as never, "line-width": ["interpolate", ["linear"], ["zoom"], 2, 3, 8, 1.5, 14, 2] },
        },
        {
          id: "hub-eo-points", type: "circle", source: "hub", "source-layer": "eo-finds",
          paint: {
            "circle-color": byNode as never, "circle-stroke-color": "#ffffff", "circle-stroke-width": 0.5,
            "circle-radius": ["interpolate", ["linear"], ["zoom"], 2, 2.5, 8, 1.5, 14, 4],
          },
        },
      ],
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));

  // A border hazard: zoom to the node's data and pick the hazard out once its tile is drawn.
  function flyTo(node: string, localId: string): void {
    const b = tilejson.nodes.find((n) => n.node === node)?.bounds;
    if (b) map.fitBounds(b, { padding: 20 });
    map.once("idle", () => {
      const f = map.queryRenderedFeatures({ layers: ["hub-hazards-fill"], filter: ["==", ["get", "local_id"], localId] })[0];
      if (f?.geometry.type === "Polygon" || f?.geometry.type === "MultiPolygon") {
        const ring = (f.geometry.type === "Polygon" ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0]) as [number, number][];
        const [lon, lat] = ring[0];
        map.flyTo({ center: [lon, lat], zoom: 13 });
      }
    });
  }

  map.on("click", "hub-hazards-fill", (e: MapLayerMouseEvent) => {
    const p = e.features?.[0]?.properties as Record<string, string | number> | undefined;
    if (!p) return;
    new maplibregl.Popup()
      .setLngLat(e.lngLat)
      .setDOMContent(h("div", { class: "popup" },
        h("strong", {}, `${p.local_id} · ${name.get(String(p.node)) ?? p.node}`),
        h("div", {}, String(p.name ?? "")),
        h("div", {}, `${t(`class.${p.class}` as "class.sha")} · ${t(`status.${p.status}` as "status.open")}`),
        h("div", {}, `${num(Number(p.area_m2))} m²`)))
      .addTo(map);
  });
  map.on("mouseenter", "hub-hazards-fill", () => (map.getCanvas().style.cursor = "pointer"));
  map.on("mouseleave", "hub-hazards-fill", () => (map.getCanvas().style.cursor = ""));
  (window as unknown as { sgRegionMap: MapLibreMap }).sgRegionMap = map;
}
