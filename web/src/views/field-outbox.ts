// The outbox: entries saved on this device and not yet stored by the server, with each one's
// state and the server's findings (an "Edit" reopens the form to fix and resend it); sync,
// export of the unsent entries to a file, import of another device's file; the sent log.
import type { Me } from "../api";
import { clear, h } from "../dom";
import { date, num, t } from "../i18n";
import { isQuotaError } from "../field/db";
import * as drafts from "../field/drafts";
import * as outbox from "../field/outbox";
import { onProgress, retry, sync, syncing, type Progress } from "../field/sync";
import { fieldTabs } from "./field";

export async function renderFieldOutbox(root: HTMLElement, _user: Me): Promise<void> {
  const count = h("p", { id: "outbox-count", "aria-live": "polite" });
  const persist = h("p", { id: "outbox-persist", class: "muted" });
  const login = h("p", { id: "outbox-login", class: "error", role: "alert" });
  login.hidden = true;
  const progress = h("p", { id: "outbox-progress", role: "status" });
  const notice = h("p", { id: "outbox-notice", role: "status" });
  const list = h("ul", { id: "outbox-list", class: "outbox" });
  const sent = h("ul", { id: "outbox-sent", class: "outbox sent" });
  const syncButton = h("button", { type: "button", id: "outbox-sync" }, t("field.sync"));
  const file = h("input", { type: "file", id: "outbox-import-file", accept: ".json,application/json", class: "sr-only" });

  async function draw(): Promise<void> {
    const [entries, log, persisted] = await Promise.all([outbox.list(), outbox.sentLog(), outbox.persisted()]);
    count.textContent = t("field.outbox_n", { n: entries.length });
    count.dataset.count = String(entries.length);
    persist.textContent = persisted === null ? "" : persisted ? t("field.persist_granted") : t("field.persist_denied");
    clear(list);
    list.append(...entries.map((e) => {
      const state = e.state === "waiting" ? t("field.state_waiting") : e.state === "conflict" ? t("field.state_conflict") : t("field.state_rejected");
      const edit = e.draft && e.state !== "waiting" ? h("button", { type: "button", class: "outbox-edit", onclick: async () => {
        const d = e.draft ? await drafts.load(e.draft) : undefined;
        if (d) location.hash = `#/field/form/${d.form}?draft=${d.id}`;
      } }, t("field.edit")) : null;
      const again = e.state !== "waiting" ? h("button", { type: "button", class: "outbox-retry", onclick: async () => { await retry(e); await draw(); } }, t("field.send_again")) : null;
      const discard = h("button", { type: "button", class: "outbox-discard", onclick: async () => {
        if (!confirm(t("field.discard_confirm"))) return;
        await outbox.remove(e.uuid);
        await draw();
      } }, t("field.discard"));
      return h("li", { "data-uuid": e.uuid, "data-state": e.state, class: `outbox-entry ${e.state}` },
        h("strong", {}, e.submission.report.title), " ",
        h("span", { class: "muted" }, `${date(e.created_at)} · ${state}${e.files.length ? ` · ${t("field.photos_n", { n: e.files.length })}` : ""}${e.attempts ? ` · ${t("field.attempts", { n: e.attempts })}` : ""}`),
        e.error ? h("div", { class: "outbox-error" }, e.error) : null,
        e.errors.length ? h("ul", { class: "outbox-errors" }, ...e.errors.map((x) => h("li", {}, h("code", {}, x.field), " ", x.message))) : null,
        h("div", { class: "actions" }, edit, again, discard));
    }));
    clear(sent);
    sent.append(...log.slice(0, 20).map((s) => h("li", { "data-uuid": s.uuid, "data-report": s.report },
      `${s.title} · ${t("field.stored_as", { id: s.report })} · ${date(s.sent_at)}`)));
    syncButton.disabled = syncing() || !entries.some((e) => e.state === "waiting");
  }

  const show = (p: Progress) => {
    progress.textContent = p.running ? t("field.syncing", { sent: p.sent, left: p.left }) : t("field.synced", { sent: p.sent, failed: p.failed });
    if (p.loggedOut) {
      void outbox.list().then((entries) => {
        login.hidden = false;
        clear(login);
        login.append(t("field.login_again", { n: entries.length }), " ", h("a", { href: "/?login#/field/outbox", id: "outbox-login-link" }, t("login.submit")));
      });
    }
    void draw();
  };
  const stop = onProgress((p) => (root.isConnected ? show(p) : stop()));
  syncButton.addEventListener("click", () => {
    login.hidden = true;
    void sync();
    void draw();
  });
  const exportButton = h("button", { type: "button", id: "outbox-export", onclick: async () => {
    const blob = await outbox.exportFile();
    const a = h("a", { href: URL.createObjectURL(blob), download: `safeground-outbox-${new Date().toISOString().slice(0, 19).replace(/:/g, "")}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    notice.textContent = t("field.exported", { size: num(blob.size / 1024) });
  } }, t("field.export"));
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    file.value = "";
    if (!f) return;
    try {
      const r = await outbox.importFile(await f.text());
      notice.textContent = t("field.imported", { added: r.added, skipped: r.skipped });
    } catch (e) {
      notice.textContent = isQuotaError(e) ? t("field.full") : t("field.import_failed", { detail: String((e as Error).message ?? e) });
    }
    await draw();
  });

  root.append(fieldTabs("field-outbox"), h("h1", {}, t("field.outbox")), count, persist, login,
    h("div", { class: "actions" }, syncButton, exportButton, h("label", { for: "outbox-import-file", class: "button", id: "outbox-import" }, t("field.import")), file),
    progress, notice, list, h("h2", {}, t("field.sent")), sent);
  await draw();
}
