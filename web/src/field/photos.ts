// Photos taken for an entry, made smaller on the device before they are stored: the longest
// side at most 1024 px, JPEG at quality 0.6 (a phone photo of several MB becomes ~50–100 KB,
// enough to identify an item and read its markings, and small enough that a day's work of 50
// reports with a photo each syncs in under a minute on a 3G link; docs/benchmarks.md).

const LONGEST = 1024;
const QUALITY = 0.6;

/** `file` as a JPEG of at most 1024 px on its longest side. */
export async function resize(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  try {
    if (typeof OffscreenCanvas !== "undefined") {
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext("2d");
      if (!ctx) throw new Error("no 2d canvas");
      ctx.drawImage(bitmap, 0, 0, w, h);
      return await canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
    }
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2d canvas");
    ctx.drawImage(bitmap, 0, 0, w, h);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("JPEG encoding failed"))), "image/jpeg", QUALITY));
  } finally {
    bitmap.close();
  }
}

/** A file name for the resized photo (the original's, as .jpg). */
export function jpegName(original: string, i: number): string {
  const stem = original.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_") || `photo-${i + 1}`;
  return `${stem}.jpg`;
}
