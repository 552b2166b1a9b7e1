// Pieces shared by the field forms: a position field with a GPS button, the photo picker with
// thumbnails, and the mapping of findings (the device's rules, the server's 422) to the fields.
import { h } from "../dom";
import { num, t } from "../i18n";
import type { Draft } from "./drafts";
import { fixText, position, typedPoint } from "./geo";
import { jpegName, resize } from "./photos";

/** A position input keyed `key`, with a GPS button that records longitude, latitude and
 *  accuracy; typed lat/lon, UTM or MGRS is kept as typed. */
export function pointField(key: string, label: string, draft: Draft, changed: () => void): { el: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { type: "text", name: key.split(".").pop(), "data-key": key, placeholder: "11.55 104.92 · 48P 491000 1290000 · 48PUV9100090000", autocomplete: "off" });
  input.value = String(draft.values[key] ?? "");
  const shown = h("span", { class: "gps-fix", "data-fix-for": key, "aria-live": "polite" });
  const show = () => {
    const f = draft.fixes[key];
    shown.textContent = f && input.value === fixText(f)
      ? t("field.gps_fix", { lon: f.lon.toFixed(6), lat: f.lat.toFixed(6), accuracy: num(f.accuracy) })
      : "";
  };
  const button = h("button", { type: "button", class: "gps-button", "data-gps-for": key, onclick: async () => {
    button.disabled = true;
    shown.textContent = t("field.gps_wait");
    try {
      const fix = await position();
      draft.fixes[key] = fix;
      input.value = fixText(fix);
      draft.values[key] = input.value;
      changed();
    } catch (e) {
      shown.textContent = t("field.gps_failed", { detail: String((e as Error).message ?? e) });
      button.disabled = false;
      return;
    }
    button.disabled = false;
    show();
  } }, t("field.gps"));
  input.addEventListener("input", show);
  show();
  const el = h("div", { class: "field point-field" },
    h("label", { for: `f-${key}` }, label),
    h("div", { class: "point-row" }, input, button), shown,
    h("span", { class: "field-error", "data-error-for": key }));
  input.id = `f-${key}`;
  return { el, input };
}

/** The record value of a position field: the GPS fix as a GeoJSON Point while the field shows
 *  it, else the typed text as `{lat, lon}`, `{utm}` or `{mgrs}` (null when blank). */
export function pointValue(key: string, text: string, draft: Draft): unknown {
  if (!text.trim()) return null;
  const f = draft.fixes[key];
  if (f && text === fixText(f)) return { type: "Point", coordinates: [f.lon, f.lat] };
  return typedPoint(text);
}

/** The photo picker (camera on a phone): each photo resized on the device, shown as a
 *  thumbnail that can be removed. */
export function photoField(draft: Draft, changed: () => void): HTMLElement {
  const thumbs = h("div", { class: "thumbs", id: "field-thumbs" });
  const status = h("span", { class: "field-error", "data-error-for": "photos" });
  const draw = () => {
    thumbs.replaceChildren(...draft.photos.map((p, i) => {
      const url = URL.createObjectURL(p.blob);
      const img = h("img", { src: url, alt: p.name, width: 96, height: 96 });
      img.addEventListener("load", () => URL.revokeObjectURL(url), { once: true });
      return h("figure", { class: "thumb" }, img, h("figcaption", {}, `${num(p.blob.size / 1024)} KB`),
        h("button", { type: "button", "aria-label": t("field.photo_remove", { name: p.name }), onclick: () => {
          draft.photos.splice(i, 1);
          draw();
          changed();
        } }, "×"));
    }));
  };
  const input = h("input", { type: "file", id: "field-photos", accept: "image/*", capture: "environment", multiple: true });
  input.addEventListener("change", async () => {
    status.textContent = "";
    for (const file of [...(input.files ?? [])]) {
      try {
        draft.photos.push({ name: jpegName(file.name, draft.photos.length), blob: await resize(file) });
      } catch (e) {
        status.textContent = t("field.photo_failed", { name: file.name, detail: String((e as Error).message ?? e) });
      }
    }
    input.value = "";
    draw();
    changed();
  });
  draw();
  return h("div", { class: "field photos" }, h("label", { for: "field-photos" }, t("field.photos")), input, thumbs, status);
}

/** The field key of a finding inside entry `i` ("quantity" → "0.quantity",
 *  "non_conformities[0].description" → "0.nc.description", "released_areas[0].geometry" →
 *  "0.released_areas"). */
export function keyOf(i: number, path: string): string {
  const nc = path.match(/^non_conformities\[\d+\]\.(.+)$/);
  if (nc) return `${i}.nc.${nc[1]}`;
  return `${i}.${path.split(/[.[]/)[0]}`;
}

/** The field key of a server finding (`entries[i].record.x`, `entries[i].personal_data.x`, a
 *  report field, `attachments[i]`). */
export function serverKey(field: string): string {
  const m = field.match(/^entries\[(\d+)\]\.(record|personal_data)\.(.+)$/);
  if (m) return m[2] === "personal_data" ? `${m[1]}.personal.${m[3].split(/[.[]/)[0]}` : keyOf(Number(m[1]), m[3]);
  if (field.startsWith("attachments")) return "photos";
  return field;
}

/** Shows each finding beside its field in `form` (those without one in `rest`); returns how
 *  many were shown. */
export function showErrors(form: HTMLElement, errors: { key: string; message: string }[], rest: HTMLElement): number {
  form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((el) => (el.textContent = ""));
  rest.textContent = "";
  for (const e of errors) {
    const target = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(e.key)}"]`);
    if (target) target.textContent = target.textContent ? `${target.textContent}; ${e.message}` : e.message;
    else rest.textContent += `${rest.textContent ? " " : ""}${e.key}: ${e.message}`;
  }
  return errors.length;
}
