// The programme map: our own vector tiles (no CDN, no external basemap), hazards by class and
// status, released areas by method, EO finds; layer switcher, legend, filters, click details;
// orthophotos under them (`#/map?orthophoto=ID` opens with one shown and zoomed to).
import maplibregl, { basemap, type FilterSpecification, type Map as MapLibreMap, type MapLayerMouseEvent } from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { api } from "../api";
import { h } from "../dom";
import { num, t } from "../i18n";
import { type Orthophoto, orthoId, orthoLayer, orthoSource, orthophotos } from "./evidence";

const METHOD_COLOURS: [string, string][] = [["cancelled", "#a5d6a7"], ["reduced", "#43a047"], ["cleared", "#1b5e20"]];

interface Item { item: string; record: Record<string, unknown> }

function legend(): HTMLElement {
  const swatch = (colour: string, label: string) =>
    h("li", {}, h("span", { class: "swatch", style: `background:${colour}` }), label);
  return h(
    "div",
    { class: "legend" },
    h("h2", { class: "panel-title" }, t("map.legend")),
    h("ul", {},
      swatch("#c62828", t("class.cha")),
      swatch("#f4a261", t("class.sha")),
      ...METHOD_COLOURS.map(([m, c]) => swatch(c, t(`method.${m}` as "method.cleared"))),
      swatch("#4527a0", t("map.eo")),
      swatch("#000000", t("map.accidents")),
    ),
  );
}

/** The orthophotos: each with a show box, an opacity slider and a zoom-to button. Their raster
 * layers go under the vector layers, added the first time they are shown. */
function orthoPanel(images: Orthophoto[], getMap: () => MapLibreMap, ready: () => Promise<void>): HTMLElement {
  const add = (o: Orthophoto, opacity: number) => {
    const map = getMap();
    if (map.getLayer(orthoId(o.id))) return;
    map.addSource(orthoId(o.id), orthoSource(o));
    map.addLayer(orthoLayer(o, opacity), "hazards-fill");
  };
  /** Runs `f` once the map has loaded (`isStyleLoaded` is false again while tiles load). */
  const whenReady = (f: () => void) => void ready().then(f);
  return h("section", { class: "ortho-panel", id: "ortho-panel", "aria-labelledby": "ortho-title" },
    h("h2", { class: "panel-title", id: "ortho-title" }, t("ortho.title")),
    h("ul", { class: "ortho-list" }, ...images.map((o) => {
      const key = String(o.id).replace(/[^A-Za-z0-9_-]/g, "_");
      const opacity = h("input", { type: "range", min: 0, max: 100, step: 5, value: 100, id: `ortho-opacity-${key}`,
        "aria-label": t("ortho.opacity_of", { name: o.name }) });
      const show = h("input", { type: "checkbox", id: `ortho-show-${key}`, "data-orthophoto": String(o.id) });
      show.addEventListener("change", () => whenReady(() => {
        add(o, Number(opacity.value) / 100);
        getMap().setLayoutProperty(orthoId(o.id), "visibility", show.checked ? "visible" : "none");
      }));
      opacity.addEventListener("input", () => {
        const map = getMap();
        if (map.getLayer(orthoId(o.id))) map.setPaintProperty(orthoId(o.id), "raster-opacity", Number(opacity.value) / 100);
      });
      return h("li", { "data-orthophoto": String(o.id) },
        h("label", {}, show, h("span", {}, o.name, h("small", {}, ` · ${t("ortho.resolution", { cm: num(o.resolution_m * 100, 1) })}`))),
        o.datum_shift ? h("p", { class: "note ortho-datum" }, t("ortho.datum", { shift: o.datum_shift })) : null,
        h("label", { class: "ortho-opacity" }, t("ortho.opacity"), opacity),
        h("button", { type: "button", class: "ortho-zoom", "aria-label": t("ortho.zoom_to", { name: o.name }),
          onclick: () => getMap().fitBounds([[o.bbox[0], o.bbox[1]], [o.bbox[2], o.bbox[3]]], { padding: 20 }) }, t("ortho.zoom")));
    })));
}

export async function renderMap(root: HTMLElement): Promise<void> {
  const container = h("div", { id: "map", class: "map" });
  const origin = location.origin;
  const tilejson = await api<{ bounds: [number, number, number, number] }>("/tiles/hazards.json");
  const config = await api<{ basemap_url: string | null }>("/api/config");
  const [orgs, admins, images] = await Promise.all([
    api<{ items: Item[] }>("/api/items?kind=organisation&limit=1000"),
    api<{ items: Item[] }>("/api/items?kind=admin_area&limit=1000"),
    orthophotos().catch(() => [] as Orthophoto[]),
  ]);
  // The user moved on while the page loaded: a map drawn now would be invisible and hold a
  // WebGL context, and would name itself the page's map.
  if (!root.isConnected) return;

  const status = h("select", { id: "filter-status", "aria-label": t("map.filter.status") },
    h("option", { value: "" }, t("map.filter.all")),
    ...["open", "worked_on", "closed", "handed_over"].map((s) => h("option", { value: s }, t(`status.${s}` as "status.open"))));
  const organisation = h("select", { id: "filter-organisation", "aria-label": t("map.filter.organisation") },
    h("option", { value: "" }, t("map.filter.all")),
    ...orgs.items.map((o) => h("option", { value: o.item }, String(o.record.acronym ?? o.record.name ?? o.item))));
  const admin = h("select", { id: "filter-admin", "aria-label": t("map.filter.admin") },
    h("option", { value: "" }, t("map.filter.all")),
    ...admins.items.map((a) => h("option", { value: String(a.record.pcode ?? "") }, `${a.record.name ?? ""} (${a.record.pcode ?? ""})`)));

  const from = h("input", { type: "date", id: "filter-from", "aria-label": t("map.filter.from") });
  const to = h("input", { type: "date", id: "filter-to", "aria-label": t("map.filter.to") });
  const toggle = (layer: string, label: string) =>
    h("label", {}, h("input", { type: "checkbox", checked: true, "data-layer": layer, onchange: (e: Event) => {
      const on = (e.target as HTMLInputElement).checked;
      for (const id of layerIds[layer]) map.setLayoutProperty(id, "visibility", on ? "visible" : "none");
    } }), label);

  const panel = h("aside", { class: "panel", "aria-label": t("map.layers") },
    h("h1", { class: "sr-only" }, t("nav.map")),
    h("h2", { class: "panel-title" }, t("map.layers")),
    toggle("hazards", t("map.hazards")),
    toggle("released", t("map.released")),
    toggle("eo", t("map.eo")),
    toggle("accidents", t("map.accidents")),
    h("label", {}, t("map.filter.status"), status),
    h("label", {}, t("map.filter.organisation"), organisation),
    h("label", {}, t("map.filter.admin"), admin),
    h("label", {}, t("map.filter.from"), from),
    h("label", {}, t("map.filter.to"), to),
    images.length ? orthoPanel(images, () => map, () => loaded) : null,
    legend(),
  );
  root.append(h("div", { class: "map-page" }, container, panel));

  const layerIds: Record<string, string[]> = {
    hazards: ["hazards-fill", "hazards-line"],
    released: ["released-fill"],
    eo: ["eo-points"],
    accidents: ["accident-points"],
  };
  const map = new maplibregl.Map({
    container,
    bounds: tilejson.bounds,
    fitBoundsOptions: { padding: 20 },
    attributionControl: false,
    style: {
      version: 8,
      sources: {
        hazards: { type: "vector", url: `${origin}/tiles/hazards.json` },
        released: { type: "vector", url: `${origin}/tiles/released-areas.json` },
        eo: { type: "vector", url: `${origin}/tiles/eo-finds.json` },
        accidents: { type: "vector", url: `${origin}/tiles/accidents.json` },
        ...basemap(config.basemap_url).sources,
      },
      layers: [
        ...basemap(config.basemap_url).layers,
        {
          id: "hazards-fill", type: "fill", source: "hazards", "source-layer": "hazards",
          paint: {
            "fill-color": ["match", ["get", "class"], "cha", "#c62828", "sha", "#f4a261", "#f4a261"],
            "fill-opacity": ["match", ["get", "status"], ["closed", "handed_over"], 0.15, 0.6],
          },
        },
        {
          id: "released-fill", type: "fill", source: "released", "source-layer": "released-areas",
          paint: {
            "fill-color": ["match", ["get", "method"], "cancelled", "#a5d6a7", "reduced", "#43a047", "cleared", "#1b5e20", "#43a047"],
            "fill-opacity": 0.75,
          },
        },
        {
          id: "hazards-line", type: "line", source: "hazards", "source-layer": "hazards",
          paint: { "line-color": "#7f0000", "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.5, 14, 2] },
        },
        {
          id: "eo-points", type: "circle", source: "eo", "source-layer": "eo-finds",
          paint: { "circle-color": "#4527a0", "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 1.5, 14, 5] },
        },
        {
          id: "accident-points", type: "circle", source: "accidents", "source-layer": "accidents",
          paint: {
            "circle-color": "#000000", "circle-stroke-color": "#ffeb3b", "circle-stroke-width": 1.5,
            "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 2.5, 14, 6],
          },
        },
      ],
    },
  });
  const loaded = new Promise<void>((resolve) => map.once("load", () => resolve()));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));

  // The period applies to every layer, each on its own date: hazards on their date of
  // information, released areas on the activity's end date, EO on the date found, accidents on
  // their date.
  const dateKey: Record<string, string> = { hazards: "date", released: "date", eo: "found_date", accidents: "date" };
  const applyFilters = () => {
    for (const [layer, ids] of Object.entries(layerIds)) {
      const clauses: unknown[] = ["all"];
      if (layer === "hazards") {
        if (status.value) clauses.push(["==", ["get", "status"], status.value]);
        if (organisation.value) clauses.push(["==", ["get", "organisation"], organisation.value]);
        if (admin.value) clauses.push(["==", ["get", "admin_pcode"], admin.value]);
      }
      const key = dateKey[layer];
      // Readers without victim access get accidents' months ("2024-03"): the period's dates are
      // cut to the length of each feature's date, so a month is kept when the period touches it.
      const cut = (d: string, dflt: string) => {
        const v = ["coalesce", ["get", key], dflt];
        return [v, ["slice", d, 0, ["length", v]]];
      };
      if (from.value) clauses.push([">=", ...cut(from.value, "0000")]);
      if (to.value) clauses.push(["<=", ...cut(to.value, "9999")]);
      for (const id of ids) map.setFilter(id, clauses.length > 1 ? (clauses as FilterSpecification) : null);
    }
  };
  for (const d of [from, to]) d.addEventListener("change", applyFilters);
  for (const s of [status, organisation, admin]) s.addEventListener("change", applyFilters);

  map.on("click", "hazards-fill", (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (!f) return;
    const p = f.properties as Record<string, string | number>;
    new maplibregl.Popup()
      .setLngLat(e.lngLat)
      .setDOMContent(h("div", { class: "popup" },
        h("strong", {}, String(p.id)),
        h("div", {}, `${t(`class.${p.class}` as "class.sha")} · ${t(`status.${p.status}` as "status.open")}`),
        h("div", {}, `${t("hazard.remaining")}: ${num(Number(p.remaining_m2))} m²`),
        h("a", { href: `#/hazards/${p.id}`, class: "open-hazard" }, t("map.open"))))
      .addTo(map);
  });
  map.on("click", "accident-points", (e: MapLayerMouseEvent) => {
    const p = e.features?.[0]?.properties as Record<string, string> | undefined;
    if (!p) return;
    new maplibregl.Popup().setLngLat(e.lngLat)
      .setDOMContent(h("div", { class: "popup" }, h("strong", {}, p.id), h("div", {}, `${p.date ?? ""} · ${p.device_category ?? ""}`),
        h("a", { href: `#/records/victim?accident=${p.id}` }, t("kind.victim"))))
      .addTo(map);
  });
  map.on("mouseenter", "hazards-fill", () => (map.getCanvas().style.cursor = "pointer"));
  map.on("mouseleave", "hazards-fill", () => (map.getCanvas().style.cursor = ""));
  // `#/map?orthophoto=ID` (a record's evidence links here): that orthophoto shown and zoomed to.
  const asked = new URLSearchParams(location.hash.split("?")[1] ?? "").get("orthophoto");
  const shown = images.find((o) => String(o.id) === asked);
  if (shown) {
    const box = panel.querySelector<HTMLInputElement>(`#ortho-panel input[type=checkbox][data-orthophoto="${CSS.escape(String(shown.id))}"]`);
    if (box) {
      box.checked = true;
      box.dispatchEvent(new Event("change"));
    }
    map.fitBounds([[shown.bbox[0], shown.bbox[1]], [shown.bbox[2], shown.bbox[3]]], { padding: 20, animate: false });
  }
  (window as unknown as { sgMap: MapLibreMap }).sgMap = map;
}
