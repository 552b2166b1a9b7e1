// Positions on the device: the GPS (the browser's geolocation, high accuracy), typed positions
// kept as the contract's point objects for the server to convert, and the approximate area of a
// walked perimeter.

/** A GPS fix: WGS 84 longitude, latitude and the accuracy radius in metres. */
export interface Fix { lon: number; lat: number; accuracy: number }

/** One high-accuracy position from the device. */
export function position(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new Error("no geolocation"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }),
      (e) => reject(new Error(e.message)),
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 },
    );
  });
}

/** A fix as typed text ("lat lon"), the form the position field shows. */
export function fixText(f: Fix): string {
  return `${f.lat.toFixed(6)} ${f.lon.toFixed(6)}`;
}

/** Typed text as a point the server converts: `{lat, lon}`, `{mgrs}` or `{utm}`. */
export function typedPoint(text: string): Record<string, unknown> {
  const s = text.trim();
  const nums = s.split(/[\s,;]+/).map(Number);
  if (nums.length === 2 && nums.every(Number.isFinite)) return { lat: nums[0], lon: nums[1] };
  if (/^\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z]{2}\d+$/i.test(s.replace(/\s+/g, ""))) return { mgrs: s };
  return { utm: s };
}

/** The area in m² of the ring through `vertices` ([lon, lat]), approximately: the vertices are
 *  projected on a plane tangent at their mean (fine for a field of a few km); the server
 *  computes the exact geodesic area. */
export function approximateArea(vertices: [number, number][]): number {
  if (vertices.length < 3) return 0;
  const r = 6371008.8;
  const lat0 = (vertices.reduce((s, v) => s + v[1], 0) / vertices.length) * (Math.PI / 180);
  const xy = vertices.map(([lon, lat]) => [r * lon * (Math.PI / 180) * Math.cos(lat0), r * lat * (Math.PI / 180)]);
  let twice = 0;
  for (let i = 0; i < xy.length; i++) {
    const [x1, y1] = xy[i];
    const [x2, y2] = xy[(i + 1) % xy.length];
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}
