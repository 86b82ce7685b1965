// The projection editor's completions (renderer/src/features/projections/projection-completions.ts):
// a projection's properties where a property is typed, an event's fields after `event.`, and
// doc texts that are the projection API's own words (so the two cannot drift apart).
import { readFileSync } from 'node:fs';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import {
  EVENT_FIELDS,
  PROJECTION_PROPERTIES,
  projectionCompletions,
} from '../../renderer/src/features/projections/projection-completions.ts';

const API = readFileSync(new URL('../../src/common/projections/projection-api.ts', import.meta.url), 'utf8').replace(
  /\s*\n\s*(\*\s*)?/g,
  ' ',
);

function complete(text: string, explicit = false): string[] | null {
  const pos = text.indexOf('|');
  const doc = text.replace('|', '');
  const result = projectionCompletions(new CompletionContext(EditorState.create({ doc }), pos, explicit));
  return result ? result.options.map((o) => o.label) : null;
}

describe('projection completions', () => {
  it('offer every property of a projection and every field of an event', () => {
    expect(PROJECTION_PROPERTIES.map((p) => p.label).sort()).toEqual([
      'any',
      'description',
      'init',
      'keyBy',
      'name',
      'on',
      'typeFrom',
    ]);
    expect(EVENT_FIELDS.map((p) => p.label).sort()).toEqual([
      'headers',
      'key',
      'offset',
      'partition',
      'timestamp',
      'topic',
      'type',
      'value',
    ]);
  });

  it('say what projection-api.ts says', () => {
    for (const p of [
      ...PROJECTION_PROPERTIES,
      ...EVENT_FIELDS.filter((f) => f.label !== 'topic' && f.label !== 'partition'),
    ]) {
      expect(API, p.label).toContain(p.info.replace(/\s+/g, ' '));
    }
  });

  it('complete event fields after event. (and e., ev., evt.), not after other objects', () => {
    expect(complete('on: { X(state, event) { return event.va| } }')).toEqual(EVENT_FIELDS.map((f) => f.label));
    expect(complete('(s, e) => e.|')).toContain('offset');
    expect(complete('state.cust|')).toBeNull();
  });

  it('complete projection properties at the start of a line, and anywhere when asked', () => {
    expect(complete('export default {\n  ty|')).toContain('typeFrom');
    expect(complete('export default {\n  |')).toBeNull();
    expect(complete('export default {\n  |', true)).toContain('keyBy');
    expect(complete('const x = fo|')).toBeNull();
  });
});
