// The projection's source in a CodeMirror 6 editor: JavaScript, completions for a projection's
// properties and an event's fields (projection-completions.ts), Ctrl/Cmd-S to save, and what is
// wrong with it as lint diagnostics on its line: whether it loads (checked in its own sandbox a
// moment after each edit: a syntax error or a wrong shape shows before any event is read) and
// where the last run failed. React does not own the text: the editor does, and tells the
// screen on every change; a new `docKey` (another file opened, a reload) replaces the text.
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { basicSetup } from 'codemirror';
import { javascript, javascriptLanguage } from '@codemirror/lang-javascript';
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { projectionCompletions } from './projection-completions.ts';

/** A problem of the source at a line (1-based; null: the whole file). */
export interface SourceProblem {
  line: number | null;
  message: string;
}

export interface ProjectionEditorHandle {
  /** Puts the cursor on a line (1-based) and scrolls it into view. */
  goToLine(line: number): void;
  focus(): void;
}

interface Props {
  /** The text to show when docKey changes (afterwards the editor owns it). */
  value: string;
  docKey: string;
  onChange(source: string): void;
  onSave(): void;
  /** Whether the source loads (null: it does); asked a moment after each edit. */
  check(source: string): Promise<SourceProblem | null>;
  /** Where the last run failed, shown until the next edit. */
  failure: SourceProblem | null;
  ref?: Ref<ProjectionEditorHandle>;
}

function diagnosticAt(doc: Text, problem: SourceProblem): Diagnostic {
  const line = doc.line(Math.min(Math.max(problem.line ?? 1, 1), doc.lines));
  return {
    from: line.from,
    to: Math.max(line.from, line.to),
    severity: 'error',
    message: problem.message,
    source: 'projection',
  };
}

export function ProjectionEditor({ value, docKey, onChange, onSave, check, failure, ref }: Props) {
  const host = useRef<HTMLDivElement | null>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, for the editor's extensions made once.
  const callbacks = useRef({ onChange, onSave, check });
  useEffect(() => {
    callbacks.current = { onChange, onSave, check };
  });

  /** The failure of the last run, and the text it was marked on (CodeMirror's texts are immutable: same object, same text). */
  const runFailure = useRef<{ doc: Text; problem: SourceProblem } | null>(null);

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          editorTheme,
          syntaxHighlighting(codeHighlight),
          javascript(),
          javascriptLanguage.data.of({ autocomplete: projectionCompletions }),
          keymap.of([
            {
              key: 'Mod-s',
              preventDefault: true,
              run: () => {
                callbacks.current.onSave();
                return true;
              },
            },
          ]),
          lintGutter(),
          linter(
            async (v) => {
              const problem = await callbacks.current.check(v.state.doc.toString());
              if (problem) return [diagnosticAt(v.state.doc, problem)];
              // A check that ends after a run failed must not wipe out the run's mark (it did when
              // the check was slower than the run): it stays while the text is the one that ran.
              const shown = runFailure.current;
              return shown && shown.doc === v.state.doc ? [diagnosticAt(v.state.doc, shown.problem)] : [];
            },
            { delay: 600 },
          ),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'Projection source', 'data-testid': 'projection-source' }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The text is set once here and replaced when docKey changes (below), never on each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Another file (or the same file reloaded): the editor's text is replaced.
  const shownKey = useRef(docKey);
  useEffect(() => {
    const editor = view.current;
    if (!editor || shownKey.current === docKey) return;
    shownKey.current = docKey;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [docKey, value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    runFailure.current = failure ? { doc: editor.state.doc, problem: failure } : null;
    editor.dispatch(setDiagnostics(editor.state, failure ? [diagnosticAt(editor.state.doc, failure)] : []));
  }, [failure]);

  useImperativeHandle(
    ref,
    () => ({
      goToLine(line: number) {
        const editor = view.current;
        if (!editor) return;
        const at = editor.state.doc.line(Math.min(Math.max(line, 1), editor.state.doc.lines));
        editor.dispatch({
          selection: { anchor: at.from },
          effects: EditorView.scrollIntoView(at.from, { y: 'center' }),
        });
        editor.focus();
      },
      focus: () => view.current?.focus(),
    }),
    [],
  );

  return <div className="projection-editor" ref={host} data-testid="projection-editor" data-doc={docKey} />;
}

// Colours from the design tokens (tokens.css), so the editor follows the app's light or dark
// theme; CodeMirror's default highlight style is for light backgrounds only. Ours comes after it
// in the extensions and wins where both style a token.
const codeHighlight = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword],
    color: 'var(--color-code-keyword)',
  },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--color-code-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--color-code-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--color-code-comment)', fontStyle: 'italic' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--color-code-property)' },
  {
    tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.definition(tags.variableName)],
    color: 'var(--color-code-function)',
  },
  { tag: [tags.variableName, tags.punctuation, tags.operator, tags.bracket], color: 'var(--color-text)' },
]);

const editorTheme = EditorView.theme({
  '&': { color: 'var(--color-text)', backgroundColor: 'var(--color-surface)' },
  '.cm-content': { caretColor: 'var(--color-code-cursor)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--color-code-cursor)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--color-code-selection)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--color-code-active-line)' },
  '.cm-gutters': {
    backgroundColor: 'var(--color-surface-2)',
    color: 'var(--color-muted)',
    borderRight: '1px solid var(--color-border)',
  },
  '.cm-activeLineGutter': { backgroundColor: 'var(--color-code-active-line)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--color-surface)',
    color: 'var(--color-text)',
    border: '1px solid var(--color-border)',
  },
});
