// The review queue: submitted reports, each entry beside the current item it would update
// (attributes and geometry), reconcile as new or as an update, approve, reject with comment.
import maplibregl from "../maplibre";
import { api, ApiError, type Me } from "../api";
import { bounds } from "../bounds";
import { clear, h } from "../dom";
import { date, t } from "../i18n";

interface Summary { id: number; title: string; organisation: string | null; date_of_information: string; entries: number; created_by: string }
interface Entry {
  index: number; kind: string; local_id: string;
  reconcile: { action: string; item?: string; base_version?: number };
  reported: Record<string, unknown>;
  references: { field: string; target: string }[];
  current: { item: string; version: number; record: Record<string, unknown> } | null;
}
interface Review { id: number; title: string; organisation: string | null; date_of_information: string; entries: Entry[] }

function show(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v).slice(0, 120) : String(v);
}

function geometries(r: Record<string, unknown>): GeoJSON.Geometry[] {
  const out: GeoJSON.Geometry[] = [];
  for (const k of ["geometry", "location"]) if (r[k]) out.push(r[k] as GeoJSON.Geometry);
  for (const a of (r.released_areas as { geometry: GeoJSON.Geometry }[] | undefined) ?? []) out.push(a.geometry);
  return out;
}

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
  const r = await api<Review>(`/api/reports/${id}/review`);
  const message = h("p", { class: "form-message", role: "status" });
  root.append(h("h1", {}, `${t("review.report", { id: r.id })} · ${r.title}`),
    h("p", {}, `${r.organisation ?? ""} · ${date(r.date_of_information)}`));
  const features: GeoJSON.Feature[] = [];
  for (const e of r.entries) {
    const keys = [...new Set([...Object.keys(e.reported), ...Object.keys(e.current?.record ?? {})])]
      .filter((k) => !["geometry", "location", "released_areas", "kind"].includes(k));
    const item = h("input", { value: e.current?.item ?? e.reconcile.item ?? "", placeholder: "HAZ-000001", "data-entry": e.index });
    const action = h("select", { "data-entry": e.index },
      h("option", { value: "new", selected: e.reconcile.action === "new" }, t("review.as_new")),
      h("option", { value: "update", selected: e.reconcile.action === "update" }, t("review.as_update", { item: "…" })));
    root.append(h("section", { class: "entry" },
      h("h2", {}, `${t("review.entry", { n: e.index + 1 })} · ${e.kind} · ${e.local_id}`),
      h("table", { class: "records diff" },
        h("thead", {}, h("tr", {}, h("th", {}, t("review.field")), h("th", {}, t("review.reported")), h("th", {}, t("review.current")))),
        h("tbody", {}, ...keys.map((k) => {
          const a = show(e.reported[k]), b = show(e.current?.record[k]);
          return h("tr", { class: e.current && a !== b ? "changed" : undefined }, h("td", {}, k), h("td", {}, a), h("td", {}, e.current ? b : ""));
        }))),
      user.may.review ? h("div", { class: "reconcile" }, t("review.reconcile"), action, item,
        h("button", { type: "button", onclick: async () => {
          const body = action.value === "new" ? { action: "new" } : { action: "update", item: item.value, base_version: e.current?.version };
          try {
            await api(`/api/reports/${r.id}/entries/${e.index}/reconcile`, { method: "POST", body: JSON.stringify(body) });
            message.textContent = "✓";
          } catch (err) {
            message.textContent = err instanceof ApiError ? err.problem.detail : String(err);
          }
        } }, "OK")) : null,
      user.may.review ? h("div", { class: "links" }, ...e.references.map((ref) => {
        const target = h("input", { value: ref.target, "data-link": `${e.index}.${ref.field}` });
        return h("div", { class: "reconcile" }, `${t("review.link")} ${ref.field} →`, target,
          h("button", { type: "button", onclick: async () => {
            try {
              await api(`/api/reports/${r.id}/entries/${e.index}/link`, { method: "POST", body: JSON.stringify({ field: ref.field, target: target.value }) });
              message.textContent = "✓";
            } catch (err) {
              message.textContent = err instanceof ApiError ? [err.problem.detail, ...(err.problem.errors ?? []).map((x) => x.message)].join(" · ") : String(err);
            }
          } }, "OK"));
      })) : null));
    for (const g of geometries(e.reported)) features.push({ type: "Feature", properties: { side: "reported" }, geometry: g });
    for (const g of geometries(e.current?.record ?? {})) features.push({ type: "Feature", properties: { side: "current" }, geometry: g });
  }
  const mapBox = h("div", { class: "hazard-map", id: "review-map" });
  const comment = h("textarea", { id: "review-comment", rows: 2 });
  root.append(mapBox,
    h("label", { class: "field" }, t("review.comment"), comment),
    h("div", { class: "actions" },
      user.may.approve ? h("button", { id: "approve", onclick: () => void decide("approve") }, t("review.approve")) : null,
      h("button", { id: "reject", onclick: () => void decide("reject") }, t("review.reject"))),
    message);
  if (features.length) {
    new maplibregl.Map({
      container: mapBox, attributionControl: false,
      bounds: bounds(features.map((f) => f.geometry)),
      fitBoundsOptions: { padding: 40, maxZoom: 17 },
      style: { version: 8, sources: { diff: { type: "geojson", data: { type: "FeatureCollection", features } } }, layers: [
        { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
        { id: "current", type: "fill", source: "diff", filter: ["==", ["get", "side"], "current"], paint: { "fill-color": "#c62828", "fill-opacity": 0.35 } },
        { id: "reported", type: "line", source: "diff", filter: ["==", ["get", "side"], "reported"], paint: { "line-color": "#1b5e20", "line-width": 2.5 } },
      ] },
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
