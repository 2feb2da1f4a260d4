// Steps the team-sync browser tests share (sync.test.mjs, sync_kinds.test.mjs): a sync job
// pressed and waited for, a customer renamed and read back, a new empty workspace. Widgets are
// found by their text in the app's language (app.lang).
import { press, typeInto, clearField, find, waitState, tr } from './harness.mjs';

// Opens a screen from the navigation and waits for its route; a tap that did not take (a
// loaded machine drops one now and then) is tapped again, as a person would.
export async function goTo(app, key, route) {
  for (let taps = 1; ; taps++) {
    await press(app, tr(app.lang, key));
    try {
      return await waitState(app.page, (s) => s.route === route, 3000);
    } catch (e) {
      if (taps === 3) throw e;
    }
  }
}

// Presses a sync button and waits for that job to end; returns the state then.
export async function syncJob(app, button, timeout = 60000) {
  const before = (await waitState(app.page, () => true)).syncJobs;
  await press(app, button);
  return waitState(app.page, (s) => s.syncJobs > before && !s.syncRunning, timeout);
}

export async function openEdit(app, id) {
  await app.page.evaluate((h) => { location.hash = h; }, `#/customers/${id}/edit`);
  await waitState(app.page, (s) => s.route === `#/customers/${id}/edit`);
  // The state is read live, the widgets are those of the last frame drawn: draw the form.
  await app.page.evaluate(() => window.crm.test.nextFrame());
}

export async function rename(app, id, name) {
  await openEdit(app, id);
  await clearField(app, tr(app.lang, 'field.customers.name'));
  await typeInto(app, tr(app.lang, 'field.customers.name'), name);
  await waitState(app.page, (s) => s.formErrors.length === 0);
  await press(app, tr(app.lang, 'form.save'));
  await waitState(app.page, (s) => s.route === `#/customers/${id}` && s.save === 'saved');
}

export async function nameOf(app, id) {
  await openEdit(app, id);
  const value = (await find(app.page, tr(app.lang, 'field.customers.name'), { kind: 'input' })).value;
  await press(app, tr(app.lang, 'form.cancel'));
  // On touch, Cancel may act a frame after the tap: wait for it, or it undoes the next step.
  await waitState(app.page, (s) => s.route === `#/customers/${id}`);
  return value;
}

export async function newEmptyWorkspace(app) {
  const t = (key) => tr(app.lang, key);
  await goTo(app, 'nav.settings', '#/settings');
  await typeInto(app, t('security.new_passphrase'), 'tablet 平板 2026');
  await typeInto(app, t('security.confirm_passphrase'), 'tablet 平板 2026');
  await press(app, t('security.replace_demo'));
  await press(app, t('security.create'));
  await waitState(app.page, (s) => s.recoveryKey.length === 39, 20000);
  await press(app, t('security.written_down'));
  return waitState(app.page, (s) => s.recoveryKey === '' && s.customersTotal === 0 && s.save === 'saved');
}
