import { ApiError, login } from "../api";
import { h } from "../dom";
import { t } from "../i18n";

/** The login form; `notice` says why it is shown again (a session that ended). */
export function renderLogin(root: HTMLElement, done: () => void, notice?: string): void {
  const username = h("input", { name: "username", autocomplete: "username", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const message = h("p", { class: "error", role: "alert", id: "login-message" }, notice ?? "");
  const form = h(
    "form",
    {
      class: "login",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        message.textContent = "";
        try {
          await login(username.value, password.value);
          done();
        } catch (err) {
          const status = err instanceof ApiError ? err.problem.status : 0;
          message.textContent = status === 429 ? t("login.locked") : t("login.failed");
        }
      },
    },
    h("h1", {}, t("login.title")),
    h("label", {}, t("login.username"), username),
    h("label", {}, t("login.password"), password),
    h("button", { type: "submit" }, t("login.submit")),
    message,
  );
  root.append(h("main", {}, form));
  username.focus();
}
