// The land-release field form offline: activity type, status, method, asset, hazard and dates,
// and the released polygon made by walking its perimeter with the GPS (start, add a vertex at
// each turning point, finish). The area shown is approximate (the server computes the exact
// geodesic area and checks the polygon at sync).
import type { Me } from "../api";
import { h } from "../dom";
import { num, t, vocabLabel } from "../i18n";
import type { MessageKey } from "../locales/en";
import { approximateArea, position } from "../field/geo";
import { loadForms, type Forms } from "../field/offline";
import type { Submission } from "../field/outbox";
import { localToday } from "../field/rules";
import { toOutbox, validate } from "../field/submit";
import { photoField, showErrors } from "../field/widgets";
import { autosave, openDraft, saveFailed, savedPanel, showRefusal } from "./field-form";

export async function renderFieldLand(root: HTMLElement, user: Me): Promise<void> {
  const forms = await loadForms();
  if (!forms) {
    root.append(h("p", { class: "error", role: "alert", id: "field-no-forms" }, t("field.no_forms")));
    return;
  }
  const draft = await openDraft("land", (d) => {
    d.values["0.local_id"] = `LR-${Date.now().toString(36).toUpperCase()}`;
    d.values.date_of_information = d.values["0.start_date"] = d.values["0.end_date"] = localToday();
    d.label = String(d.values["0.local_id"]);
  });
  const vocab = forms.vocabularies;
  const status = h("p", { class: "draft-status", id: "draft-status", "aria-live": "polite" });
  const changed = autosave(draft, status);
  const field = (label: MessageKey, key: string, el: HTMLInputElement | HTMLSelectElement) => {
    el.dataset.key = key;
    el.addEventListener(el instanceof HTMLSelectElement ? "change" : "input", () => {
      draft.values[key] = el.value;
      if (key === "0.local_id") draft.label = el.value;
      changed();
    });
    return h("label", { class: "field" }, t(label), el, h("span", { class: "field-error", "data-error-for": key }));
  };
  const text = (key: string, type = "text") => h("input", { type, name: key.split(".").pop(), value: String(draft.values[key] ?? "") });
  const select = (key: string, list: string, dflt: string) => {
    const value = String(draft.values[key] ?? dflt);
    const el = h("select", { name: key.split(".").pop() }, ...(vocab[list] ?? []).map((v) =>
      h("option", { value: v.code, selected: v.code === value }, vocabLabel(list, v.code, v.label))));
    draft.values[key] = el.value;
    return el;
  };

  const walk = draft.perimeter;
  const walkInfo = h("p", { id: "perimeter-info", "aria-live": "polite" });
  const walkError = h("span", { class: "field-error", "data-error-for": "0.released_areas" });
  const outline = h("div", { class: "perimeter-outline", id: "perimeter-outline" });
  const start = h("button", { type: "button", id: "perimeter-start" }, t("field.walk_start"));
  const add = h("button", { type: "button", id: "perimeter-add" }, t("field.walk_add"));
  const undo = h("button", { type: "button", id: "perimeter-undo" }, t("field.walk_undo"));
  const finish = h("button", { type: "button", id: "perimeter-finish" }, t("field.walk_finish"));
  const drawWalk = () => {
    const n = walk.vertices.length;
    const last = walk.accuracy[n - 1];
    walkInfo.textContent = [
      t("field.walk_vertices", { n }),
      n >= 3 ? t("field.walk_area", { area: num(approximateArea(walk.vertices)) }) : "",
      last !== undefined ? t("field.walk_accuracy", { accuracy: num(last) }) : "",
      walk.closed ? t("field.walk_closed") : "",
    ].filter(Boolean).join(" · ");
    add.disabled = walk.closed;
    undo.disabled = walk.closed || n === 0;
    finish.disabled = walk.closed || n < 3;
    outline.replaceChildren(svgOutline(walk.vertices, walk.closed));
  };
  start.addEventListener("click", () => {
    if (walk.vertices.length && !confirm(t("field.walk_restart"))) return;
    Object.assign(walk, { vertices: [], accuracy: [], closed: false });
    drawWalk();
    changed();
  });
  add.addEventListener("click", async () => {
    add.disabled = true;
    walkError.textContent = t("field.gps_wait");
    try {
      const fix = await position();
      walk.vertices.push([fix.lon, fix.lat]);
      walk.accuracy.push(fix.accuracy);
      walkError.textContent = "";
      changed();
    } catch (e) {
      walkError.textContent = t("field.gps_failed", { detail: String((e as Error).message ?? e) });
    }
    drawWalk();
  });
  undo.addEventListener("click", () => { walk.vertices.pop(); walk.accuracy.pop(); drawWalk(); changed(); });
  finish.addEventListener("click", () => { walk.closed = true; drawWalk(); changed(); });
  drawWalk();

  const message = h("p", { class: "form-message", role: "status", id: "field-message" });
  const save = h("button", { type: "submit", id: "field-save", disabled: true }, t("field.save"));
  const form = h("form", { class: "report-form field-form", id: "field-form-land", novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
    h("h1", {}, t("form.title")),
    h("p", { class: "field-org" }, `${t("form.organisation")}: ${user.organisation}`),
    h("div", { class: "form-grid" },
      field("form.date", "date_of_information", text("date_of_information", "date")),
      field("form.local_id", "0.local_id", text("0.local_id")),
      field("form.hazard", "0.hazard", text("0.hazard")),
      field("form.activity_type", "0.activity_type", select("0.activity_type", "activity_type", "clearance")),
      field("form.status", "0.status", select("0.status", "activity_status", "ongoing")),
      field("form.start", "0.start_date", text("0.start_date", "date")),
      field("form.end", "0.end_date", text("0.end_date", "date")),
      field("form.method", "0.method", select("0.method", "release_method", "cleared")),
      field("form.asset", "0.asset_type", select("0.asset_type", "asset_type", "manual"))),
    h("fieldset", { id: "perimeter" }, h("legend", {}, t("field.walk")), h("p", { class: "hint" }, t("field.walk_hint")),
      h("div", { class: "actions" }, start, add, undo, finish), walkInfo, outline, walkError),
    photoField(draft, changed), status, save, message);
  root.append(form);
  save.disabled = false;
  await showRefusal(draft, form, message);

  const typeLabel = (code: string) =>
    vocabLabel("activity_type", code, vocab.activity_type?.find((v) => v.code === code)?.label ?? code);

  function report(): Submission["report"] {
    const v = (k: string) => String(draft.values[k] ?? "").trim() || null;
    const ring = [...walk.vertices, walk.vertices[0]];
    const released = walk.closed && walk.vertices.length >= 3
      ? [{ method: v("0.method"), asset_type: v("0.asset_type"), geometry: { type: "MultiPolygon", coordinates: [[ring]] } }] : [];
    const record = {
      kind: "activity", local_id: v("0.local_id"), activity_type: v("0.activity_type"), status: v("0.status"),
      organisation: user.organisation, hazard: v("0.hazard"), hazards: [], start_date: v("0.start_date"), end_date: v("0.end_date"),
      assets: [v("0.asset_type")], released_areas: released,
    };
    const worst = walk.accuracy.length ? Math.max(...walk.accuracy) : null;
    return {
      title: `${typeLabel(String(record.activity_type))} ${record.local_id ?? ""}${record.hazard ? ` (${record.hazard})` : ""}`,
      organisation: user.organisation, source: worst === null ? "field app" : `field app; perimeter walked, GPS ±${Math.round(worst)} m`,
      date_of_information: v("date_of_information") ?? localToday(), entries: [{ record }],
    };
  }

  async function submit(): Promise<void> {
    message.className = "form-message";
    const r = report();
    const errors = validate(r, forms as Forms);
    if (walk.vertices.length && !walk.closed) errors.push({ key: "0.released_areas", message: t("field.walk_unfinished") });
    if (showErrors(form, errors, message) > 0) {
      message.prepend(t("field.fix_errors"), " ");
      message.className = "form-message error";
      return;
    }
    save.disabled = true;
    try {
      form.replaceWith(savedPanel("land", await toOutbox(draft, forms as Forms, r)));
    } catch (e) {
      message.textContent = saveFailed(e);
      message.className = "form-message error";
      save.disabled = false;
    }
  }
}

/** The walked outline as a small drawing (no map needed offline). */
function svgOutline(vertices: [number, number][], closed: boolean): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("width", "160");
  svg.setAttribute("height", "160");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("field.walk"));
  if (!vertices.length) return svg;
  const lat0 = (vertices.reduce((s, v) => s + v[1], 0) / vertices.length) * (Math.PI / 180);
  const xy = vertices.map(([lon, lat]) => [lon * Math.cos(lat0), lat]);
  const xs = xy.map((p) => p[0]);
  const ys = xy.map((p) => p[1]);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) || 1e-9;
  const pts = xy.map(([x, y]) => `${(5 + ((x - Math.min(...xs)) / span) * 90).toFixed(1)},${(95 - ((y - Math.min(...ys)) / span) * 90).toFixed(1)}`);
  const shape = document.createElementNS(ns, closed ? "polygon" : "polyline");
  shape.setAttribute("points", pts.join(" "));
  shape.setAttribute("class", "perimeter-shape");
  svg.append(shape);
  for (const p of pts) {
    const c = document.createElementNS(ns, "circle");
    const [cx, cy] = p.split(",");
    c.setAttribute("cx", cx);
    c.setAttribute("cy", cy);
    c.setAttribute("r", "2");
    svg.append(c);
  }
  return svg;
}
