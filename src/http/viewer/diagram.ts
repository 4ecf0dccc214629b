import type { AnyStateMachine } from 'xstate';
import { Type } from 'typebox';
import type { TypedApp } from '../types.ts';
import { adminErrors, ErrorResponse } from '../schemas/common.ts';
import { sendError } from '../../contract/error-envelope.ts';
import { machineOf } from '../../runtime/machine-of.ts';
import { hostedActors } from '../actors/inspect.ts';
import { toMermaid } from '../../viz/mermaid.ts';
import { SVG_CSP } from './headers.ts';

// The chart of a machine this agent runs, derived from the machine itself (so it never disagrees
// with the running chart, whatever state visualizations/ is in; see viz/viewer-svg.ts), with the
// data-state hooks the viewer highlights by. Behind the admin token like the rest of /api/admin:
// a chart holds no secret, but which machines answer tells the agent's mode, and drawing a changed
// chart costs CPU an anonymous caller should not be able to spend.

const MachineParams = Type.Object({ machine: Type.String({ minLength: 1, maxLength: 64 }) });

const SvgResponse = { description: 'The chart as SVG, with `data-state="<state path>"` on the box of every state', content: { 'image/svg+xml': { schema: Type.String() } } };

/**
 * Charts by Mermaid text: equal text gives an equal SVG, so agents in one process share the work,
 * and a changed chart is drawn anew. viewer-svg.ts is loaded on the first request, not at start-up.
 */
const drawn = new Map<string, Promise<string>>();

export function diagramOf(machine: AnyStateMachine): Promise<string> {
  const mermaid = toMermaid(machine);
  let svg = drawn.get(mermaid);
  if (!svg) {
    svg = import('../../viz/viewer-svg.ts').then(({ viewerSvg }) => viewerSvg(machine));
    svg.catch(() => drawn.delete(mermaid)); // a failed drawing is tried again next time
    drawn.set(mermaid, svg);
  }
  return svg;
}

/** GET /diagrams/{machine} (under /api/admin): the chart of one of the hosted actors' machines. */
export function registerDiagramRoute(app: TypedApp): void {
  app.get('/diagrams/:machine', {
    schema: { params: MachineParams, response: { 200: SvgResponse, 404: ErrorResponse, ...adminErrors() } },
  }, async (request, reply) => {
    const { machine: id } = request.params;
    const machine = hostedActors(app.agent).map(([, actor]) => machineOf(actor)).find((m) => m.id === id);
    if (!machine) {
      // Echo the name only when it looks like a machine id: a path is the caller's text, not ours to print.
      return sendError(reply, 404, `no machine ${/^[A-Za-z][A-Za-z0-9]{0,31}$/.test(id) ? id : 'with that id'} runs in this agent`);
    }
    const svg = await diagramOf(machine);
    return reply
      .type('image/svg+xml; charset=utf-8')
      .headers({ 'content-security-policy': SVG_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
      .send(svg);
  });
}
