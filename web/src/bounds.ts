// The bounding box of GeoJSON geometries, for fitting a map to them.
export type Bounds = [[number, number], [number, number]];

/** [[west, south], [east, north]] of every coordinate in `geometries`, grown by `pad` degrees. */
export function bounds(geometries: unknown[], pad = 0): Bounds {
  let [w, s, e, n] = [180, 90, -180, -90];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      w = Math.min(w, c[0]); e = Math.max(e, c[0]);
      s = Math.min(s, c[1] as number); n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const g of geometries) visit((g as { coordinates?: unknown })?.coordinates);
  return [[w - pad, s - pad], [e + pad, n + pad]];
}
