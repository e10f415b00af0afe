import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order in which test files start on the two workers. vitest's own order runs one project
 * after another (by name: client, e2e, integration, …), which leaves the type check to the
 * end, alone, and puts browser tests beside browser tests. Here, within each group
 * (`sequence.groupOrder`): the type check first (a minute of one core with no waiting), then
 * the projects taken in turn, so a browser test (busy) shares the machine with an integration
 * test (mostly waiting for timeouts and child processes). Within a project vitest's order
 * stands: slowest last time first, on a clean clone the largest file first.
 */
const FIRST = 'typecheck';

export class ProjectsInTurn extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const groups = new Map<number, Map<string, TestSpecification[]>>();
    for (const spec of await super.sort(files)) {
      const order = spec.project.config.sequence.groupOrder;
      const projects = groups.get(order) ?? groups.set(order, new Map()).get(order)!;
      const list = projects.get(spec.project.name) ?? projects.set(spec.project.name, []).get(spec.project.name)!;
      list.push(spec);
    }
    const sorted: TestSpecification[] = [];
    for (const order of [...groups.keys()].sort((a, b) => a - b)) {
      const projects = groups.get(order)!;
      sorted.push(...(projects.get(FIRST) ?? []));
      projects.delete(FIRST);
      const queues = [...projects.values()];
      for (let i = 0; queues.some((q) => i < q.length); i++) for (const q of queues) if (i < q.length) sorted.push(q[i]!);
    }
    return sorted;
  }
}
