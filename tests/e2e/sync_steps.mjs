// Steps the team-sync browser tests share (sync.test.mjs, sync_kinds.test.mjs): a sync job
// pressed and waited for, a customer renamed and read back, a new empty workspace.
import { press, typeInto, clearField, find, waitState } from './harness.mjs';

// Presses a sync button and waits for that job to end; returns the state then.
export async function syncJob(app, button, timeout = 60000) {
  const before = (await waitState(app.page, () => true)).syncJobs;
  await press(app, button);
  return waitState(app.page, (s) => s.syncJobs > before && !s.syncRunning, timeout);
}

export async function openEdit(app, id) {
  await app.page.evaluate((h) => { location.hash = h; }, `#/customers/${id}/edit`);
  await waitState(app.page, (s) => s.route === `#/customers/${id}/edit`);
}

export async function rename(app, id, name) {
  await openEdit(app, id);
  await clearField(app, 'Name');
  await typeInto(app, 'Name', name);
  await waitState(app.page, (s) => s.formErrors.length === 0);
  await press(app, 'Save');
  await waitState(app.page, (s) => s.route === `#/customers/${id}` && s.save === 'saved');
}

export async function nameOf(app, id) {
  await openEdit(app, id);
  const value = (await find(app.page, 'Name', { kind: 'input' })).value;
  await press(app, 'Cancel');
  // On touch, Cancel may act a frame after the tap: wait for it, or it undoes the next step.
  await waitState(app.page, (s) => s.route === `#/customers/${id}`);
  return value;
}

export async function newEmptyWorkspace(app) {
  await press(app, 'Settings');
  await typeInto(app, 'New passphrase', 'tablet 平板 2026');
  await typeInto(app, 'Passphrase again', 'tablet 平板 2026');
  await press(app, 'Replace the demo data on this device');
  await press(app, 'Create encrypted workspace');
  await waitState(app.page, (s) => s.recoveryKey.length === 39, 20000);
  await press(app, 'I have written it down');
  return waitState(app.page, (s) => s.recoveryKey === '' && s.customersTotal === 0 && s.save === 'saved');
}
