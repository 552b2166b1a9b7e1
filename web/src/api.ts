// The server's JSON API. The UI holds no business rules: it shows what the API answers,
// including its problem details (RFC 9457) next to the fields they name.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(public problem: Problem) {
    super(problem.detail);
  }
}

export interface Me {
  username: string;
  display_name: string;
  role: string;
  organisation: string;
  national: boolean;
  may: Record<"write_reports" | "review" | "approve" | "manage_users" | "personal_data" | "break_glass" | "plan", boolean>;
  /** The user's open emergency access grant (null when none). */
  break_glass: { id: number; until: string; reason: string } | null;
  /** Ended grants waiting for a review (administrators and victim-assistance officers only). */
  break_glass_reviews?: number;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  const resp = await fetch(path, { ...init, headers, credentials: "same-origin" });
  if (resp.status === 204) return undefined as T;
  const body = await resp.json().catch(() => null);
  if (!resp.ok) {
    throw new ApiError(
      body ?? { type: "about:blank", title: resp.statusText, status: resp.status, detail: resp.statusText },
    );
  }
  return body as T;
}

export const me = () => api<Me>("/api/me");
export const login = (username: string, password: string) =>
  api<unknown>("/api/login", { method: "POST", body: JSON.stringify({ username, password }) });
export const logout = () => api<void>("/api/logout", { method: "POST" });
