// The review queue: submitted reports, each entry beside the current item it would update
// (attributes and geometry, labelled), reconcile as new or as an update, approve, reject with
// comment. Above the entries, what approval would do to land release: on one map the hazard,
// the released polygons and the remaining area now and after approval, with the figures.
import maplibregl from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { api, ApiError, type Me } from "../api";
import { bounds } from "../bounds";
import { clear, h } from "../dom";
import { date, t } from "../i18n";
import { area, itemLink, resolveItems, showValue } from "../show";
import { fieldLabel, label, loadVocab } from "../vocab";
import { attachmentList, type Attachment } from "./attachments";

interface Summary { id: number; title: string; organisation: string | null; date_of_information: string; entries: number; created_by: string }
interface Entry {
  index: number; kind: string; local_id: string;
  reconcile: { action: string; item?: string; base_version?: number };
  reported: Record<string, unknown>;
  references: { field: string; target: string }[];
  current: { item: string; version: number; record: Record<string, unknown> } | null;
}
interface Review { id: number; title: string; organisation: string | null; date_of_information: string; entries: Entry[] }
/** One hazard an activity entry releases land on (GET /api/reports/{id}/land-release). */
interface LandRow {
  entry: number; hazard: string; local_id: string; name: string | null; class: string;
  original_m2: number; remaining_before_m2: number; remaining_after_m2: number; released_m2: number;
  geometry: GeoJSON.Geometry | null; remaining_before: GeoJSON.Geometry | null;
  remaining_after: GeoJSON.Geometry | null; released: GeoJSON.Geometry[];
}

/** The text of a value, to compare reported and current. */
function text(v: unknown): string {
  return v === null || v === undefined ? "" : JSON.stringify(v);
}

function geometries(r: Record<string, unknown>): GeoJSON.Geometry[] {
  const out: GeoJSON.Geometry[] = [];
  for (const k of ["geometry", "location"]) if (r[k]) out.push(r[k] as GeoJSON.Geometry);
  for (const a of (r.released_areas as { geometry: GeoJSON.Geometry }[] | undefined) ?? []) out.push(a.geometry);
  return out;
}

/** The map layers of the review, in drawing order, with their legend entries. */
const LAYERS: { id: string; legend: Parameters<typeof t>[0] | null; colour: string; outline?: boolean }[] = [
  { id: "before", legend: "review.legend.before", colour: "#ef9a9a" },
  { id: "after", legend: "review.legend.after", colour: "#b71c1c" },
  { id: "released", legend: "review.legend.released", colour: "#2e7d32" },
  { id: "hazard", legend: "review.legend.hazard", colour: "#4a0000", outline: true },
];

export async function renderReviewQueue(root: HTMLElement): Promise<void> {
  const list = await api<{ reports: Summary[] }>("/api/reports?status=submitted&limit=200");
  root.append(h("h1", {}, t("review.title")),
    list.reports.length === 0 ? h("p", {}, t("review.empty")) : h("table", { class: "records", id: "review-queue" },
      h("tbody", {}, ...list.reports.map((r) => h("tr", {},
        h("td", {}, h("a", { href: `#/review/${r.id}` }, t("review.report", { id: r.id }))),
        h("td", {}, r.title), h("td", {}, r.organisation ?? ""), h("td", {}, date(r.date_of_information)),
        h("td", {}, String(r.entries)), h("td", {}, r.created_by))))));
}

export async function renderReview(root: HTMLElement, id: string, user: Me): Promise<void> {
  const [r, land, files] = await Promise.all([
    api<Review>(`/api/reports/${id}/review`),
    api<{ hazards: LandRow[] }>(`/api/reports/${id}/land-release`),
    api<Attachment[]>(`/api/reports/${id}/attachments`),
    loadVocab(),
  ]);
  await resolveItems(r.entries.flatMap((e) => [...Object.values(e.reported), ...Object.values(e.current?.record ?? {}), e.current?.item]));
  const message = h("p", { class: "form-message", role: "status" });
  root.append(h("h1", {}, `${t("review.report", { id: r.id })} · ${r.title}`),
    h("p", {}, [r.organisation ?? "", date(r.date_of_information)].filter(Boolean).join(" · ")));
  // Training warnings: members of a named team without a valid certificate for the work on the
  // activity's start date. They inform; they never block approval.
  const warnings = (r as unknown as { training_warnings?: { message: string }[] }).training_warnings ?? [];
  if (warnings.length) {
    root.append(h("section", { id: "review-training-warnings", class: "warning", role: "status" },
      h("h2", {}, t("review.training_warnings")),
      h("ul", {}, ...warnings.map((w) => h("li", {}, w.message)))));
  }

  const features: GeoJSON.Feature[] = [];
  const mapBox = h("div", { class: "hazard-map", id: "review-map", role: "region", "aria-label": t("review.map") });
  if (land.hazards.length) {
    for (const row of land.hazards) {
      const add = (layer: string, g: GeoJSON.Geometry | null) => {
        if (g) features.push({ type: "Feature", properties: { layer, hazard: row.hazard }, geometry: g });
      };
      add("before", row.remaining_before);
      add("after", row.remaining_after);
      for (const g of row.released) add("released", g);
      add("hazard", row.geometry);
    }
    const figure = (cls: string, name: Parameters<typeof t>[0], m2: number) =>
      h("tr", { class: cls }, h("th", { scope: "row" }, t(name)), h("td", { class: "num" }, area(m2)));
    root.append(h("section", { id: "review-land-release" },
      h("h2", {}, t("review.land")),
      h("div", { class: "review-land" },
        mapBox,
        h("div", {},
          h("div", { id: "review-figures" }, ...land.hazards.map((row) => h("table", { class: "figures", "data-hazard": row.hazard },
            h("caption", {}, h("a", { href: `#/hazards/${row.hazard}`, title: row.hazard }, row.local_id),
              row.name ? ` · ${row.name}` : "", ` · ${label("hazard_class", row.class)}`),
            h("tbody", {},
              figure("original", "review.original", row.original_m2), figure("before", "review.before", row.remaining_before_m2),
              figure("released", "review.released", row.released_m2), figure("after", "review.after", row.remaining_after_m2))))),
          h("ul", { class: "review-legend", id: "review-legend" }, ...LAYERS.map((l) => h("li", {},
            h("span", { class: "swatch", style: l.outline ? `border: 2px solid ${l.colour}; background: transparent` : `background: ${l.colour}` }),
            l.legend ? t(l.legend) : "")))))));
  }

  for (const e of r.entries) {
    const keys = [...new Set([...Object.keys(e.reported), ...Object.keys(e.current?.record ?? {})])]
      .filter((k) => !["geometry", "location", "kind"].includes(k));
    const item = h("input", { value: e.current?.item ?? e.reconcile.item ?? "", placeholder: "HAZ-000001", "data-entry": e.index });
    const action = h("select", { "data-entry": e.index },
      h("option", { value: "new", selected: e.reconcile.action === "new" }, t("review.as_new")),
      h("option", { value: "update", selected: e.reconcile.action === "update" }, t("review.as_update", { item: "…" })));
    const cell = (k: string, v: unknown) => h("td", {}, ...showValue(e.kind, k, v));
    root.append(h("section", { class: "entry" },
      h("h2", {}, `${t("review.entry", { n: e.index + 1 })} · ${t(`kind.${e.kind}` as "kind.victim")} · ${e.local_id}`),
      h("table", { class: "records diff" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("review.field")), h("th", { scope: "col" }, t("review.reported")), h("th", { scope: "col" }, t("review.current")))),
        h("tbody", {}, ...keys.map((k) => {
          const changed = e.current !== null && text(e.reported[k]) !== text(e.current.record[k]);
          return h("tr", { class: changed ? "changed" : undefined }, h("th", { scope: "row" }, fieldLabel(k)),
            cell(k, e.reported[k]), e.current ? cell(k, e.current.record[k]) : h("td", {}));
        }))),
      e.current ? h("p", {}, `${t("review.current")}: `, itemLink(e.current.item)) : null,
      attachmentList(files.filter((f) => f.entry === e.index)),
      user.may.review ? h("div", { class: "reconcile" }, h("label", {}, t("review.action"), action), h("label", {}, t("review.item"), item),
        h("button", { type: "button", onclick: async () => {
          const body = action.value === "new" ? { action: "new" } : { action: "update", item: item.value, base_version: e.current?.version };
          try {
            await api(`/api/reports/${r.id}/entries/${e.index}/reconcile`, { method: "POST", body: JSON.stringify(body) });
            message.textContent = "✓";
          } catch (err) {
            message.textContent = err instanceof ApiError ? err.problem.detail : String(err);
          }
        } }, t("review.reconcile"))) : null,
      user.may.review ? h("div", { class: "links" }, ...e.references.map((ref) => {
        const target = h("input", { value: ref.target, "data-link": `${e.index}.${ref.field}` });
        return h("div", { class: "reconcile" }, h("label", {}, `${t("review.link")} ${fieldLabel(ref.field)} → ${t("review.target")}`, target),
          h("button", { type: "button", onclick: async () => {
            try {
              await api(`/api/reports/${r.id}/entries/${e.index}/link`, { method: "POST", body: JSON.stringify({ field: ref.field, target: target.value }) });
              message.textContent = "✓";
            } catch (err) {
              message.textContent = err instanceof ApiError ? [err.problem.detail, ...(err.problem.errors ?? []).map((x) => x.message)].join(" · ") : String(err);
            }
          } }, t("review.link")));
      })) : null));
    // Without land release on a hazard, the map shows what the entry reports beside what is.
    if (!land.hazards.length) {
      for (const g of geometries(e.reported)) features.push({ type: "Feature", properties: { layer: "released" }, geometry: g });
      for (const g of geometries(e.current?.record ?? {})) features.push({ type: "Feature", properties: { layer: "before" }, geometry: g });
    }
  }
  const comment = h("textarea", { id: "review-comment", rows: 2 });
  if (!land.hazards.length && features.length) root.append(mapBox);
  root.append(
    h("div", { class: "field" }, h("label", { for: "review-comment" }, t("review.comment")), comment),
    h("div", { class: "actions" },
      user.may.approve ? h("button", { id: "approve", onclick: () => void decide("approve") }, t("review.approve")) : null,
      h("button", { id: "reject", onclick: () => void decide("reject") }, t("review.reject"))),
    message);
  if (features.length) {
    const map = new maplibregl.Map({
      container: mapBox, attributionControl: false,
      bounds: bounds(features.map((f) => f.geometry)),
      fitBoundsOptions: { padding: 40, maxZoom: 17 },
      style: { version: 8, sources: { review: { type: "geojson", data: { type: "FeatureCollection", features } } }, layers: [
        { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
        ...LAYERS.map((l) => l.outline
          ? { id: l.id, type: "line" as const, source: "review", filter: ["==", ["get", "layer"], l.id] as ["==", ["get", string], string], paint: { "line-color": l.colour, "line-width": 2 } }
          : { id: l.id, type: "fill" as const, source: "review", filter: ["==", ["get", "layer"], l.id] as ["==", ["get", string], string], paint: { "fill-color": l.colour, "fill-opacity": l.id === "released" ? 0.55 : 0.7, "fill-outline-color": l.colour } }),
        { id: "released-line", type: "line", source: "review", filter: ["==", ["get", "layer"], "released"], paint: { "line-color": "#1b5e20", "line-width": 3 } },
        { id: "points", type: "circle", source: "review", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#4527a0", "circle-radius": 6 } },
      ] },
    });
    map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
    // Which layers are drawn, for the browser tests and for anyone inspecting the page.
    map.on("idle", () => {
      const drawn = LAYERS.map((l) => l.id).filter((l) => map.queryRenderedFeatures({ layers: [l] }).length > 0);
      mapBox.dataset.drawn = drawn.join(" ");
    });
  }

  async function decide(what: "approve" | "reject"): Promise<void> {
    try {
      const body = what === "approve" ? { comment: comment.value || null } : { comment: comment.value };
      await api(`/api/reports/${r.id}/${what}`, { method: "POST", body: JSON.stringify(body) });
      clear(root);
      root.append(h("p", { class: "form-message ok", id: "decision" }, t(what === "approve" ? "review.approved" : "review.rejected", { id: r.id })),
        h("a", { href: "#/review" }, t("review.title")));
    } catch (e) {
      message.textContent = e instanceof ApiError ? [e.problem.detail, ...(e.problem.errors ?? []).map((x) => `${x.field}: ${x.message}`)].join(" · ") : String(e);
      message.className = "form-message error";
    }
  }
}
