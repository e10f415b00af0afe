import { computed, ref, shallowRef, watch, type Ref } from 'vue';
import type { EventResult } from '../../../../shared/events.js';
import type { MovePreview } from '../../../../shared/forecast.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import { failureText } from '../../lib/pending-actions.js';
import type { LeadApi } from './lead-api.js';
import { newEventId } from './lead-api.js';
import { moveKey, moveRequest, reassignEvent } from './lead-view.js';

/**
 * A move from pick to commit. The preview is fetched for the move as picked (nothing changes on
 * the hub); the commit button only works for the move the preview on screen answers, so the
 * lead never commits something they have not seen the effect of. The commit is one
 * `staff.reassigned` event with a fresh id, dated by the hub's clock; the hub's verdict is kept
 * to show as it is (a rejection says why).
 */
export type PreviewState = { kind: 'none' } | { kind: 'loading'; key: string } | { kind: 'ready'; key: string; preview: MovePreview } | { kind: 'error'; key: string; message: string };

export type CommitState = { kind: 'none' } | { kind: 'sending' } | { kind: 'done'; result: EventResult; technicianName: string } | { kind: 'failed'; message: string };

export function useLeadReassign(api: () => LeadApi | null, technicians: Ref<readonly TechnicianView[]>, hubNow: () => number, onCommitted: () => void) {
  const technicianId = ref('');
  const team = ref('');
  const bayId = ref('');
  const preview = shallowRef<PreviewState>({ kind: 'none' });
  const commit = shallowRef<CommitState>({ kind: 'none' });

  const technician = computed(() => technicians.value.find((t) => t.technicianId === technicianId.value));
  const move = computed(() => moveRequest(technician.value, team.value, bayId.value));
  const key = computed(() => moveKey(move.value));
  const canCommit = computed(() => preview.value.kind === 'ready' && preview.value.key === key.value && commit.value.kind !== 'sending');

  const message = failureText;

  async function loadPreview() {
    const m = move.value;
    const k = key.value;
    const client = api();
    if (!m || !client) {
      preview.value = { kind: 'none' };
      return;
    }
    preview.value = { kind: 'loading', key: k };
    try {
      const p = await client.preview(m);
      // A later pick wins: an answer for a move no longer on screen is dropped.
      if (key.value === k) preview.value = { kind: 'ready', key: k, preview: p };
    } catch (err) {
      if (key.value === k) preview.value = { kind: 'error', key: k, message: message(err) };
    }
  }

  // A new pick: the old preview and verdict no longer describe it. (After a commit the lists
  // catch up and the pick becomes "no move": the verdict stays on screen until the next pick.)
  watch(key, (k) => {
    if (k !== '') commit.value = { kind: 'none' };
    void loadPreview();
  });
  // Picking someone starts from where they are now.
  watch(technicianId, () => {
    team.value = technician.value?.team ?? '';
    bayId.value = technician.value?.bayId ?? '';
  });

  async function send(): Promise<EventResult | null> {
    const m = move.value;
    const client = api();
    if (!m || !client || !canCommit.value) return null;
    const name = technician.value?.name ?? m.technicianId;
    commit.value = { kind: 'sending' };
    try {
      const result = await client.postEvent(reassignEvent(m, newEventId(), hubNow()));
      commit.value = { kind: 'done', result, technicianName: name };
      if (result.status !== 'rejected') {
        // The move is done: the form starts over, and the lists are asked again at once.
        preview.value = { kind: 'none' };
        onCommitted();
      }
      return result;
    } catch (err) {
      commit.value = { kind: 'failed', message: message(err) };
      return null;
    }
  }

  function reset() {
    technicianId.value = '';
    team.value = '';
    bayId.value = '';
    preview.value = { kind: 'none' };
  }

  return { technicianId, team, bayId, technician, move, preview, commit, canCommit, loadPreview, send, reset };
}

export type LeadReassign = ReturnType<typeof useLeadReassign>;
