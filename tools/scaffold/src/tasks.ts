/**
 * The course's task list, as the reference minitorch numbers it: Module 0
 * (operators, modules, and 0.5 a hand-made classifier), Module 1 (scalar
 * autodiff, 1.5 training a scalar network), Module 2 (tensors, 2.5 training
 * a tensor network), Module 3 (parallel fast ops 3.1–3.2, GPU ops 3.3–3.4,
 * 3.5 training on them), Module 4 (convolution and networks), five tasks
 * each, and Task 4.4b, minitorch's optional convolution on the GPU, between
 * 4.4 and 4.5.
 */
export const TASK_COUNTS: readonly number[] = [5, 5, 5, 5, 5];

/** Optional tasks, each listed right after the task it extends. */
const EXTRA_TASKS: Readonly<Record<string, readonly string[]>> = { "4.4": ["4.4b"] };

/** A task id as written in the markers: `"4.1"`, or `"4.4b"` for an optional one. */
export type TaskId = `${number}.${number}` | `${number}.${number}b`;

/** Every task id in course order: 0.1 … 0.5, 1.1 … 4.4, 4.4b, 4.5. */
export const COURSE_TASKS: readonly TaskId[] = TASK_COUNTS.flatMap((count, module) =>
  Array.from({ length: count }, (_, t): TaskId[] => {
    const id: TaskId = `${module}.${t + 1}`;
    return [id, ...((EXTRA_TASKS[id] ?? []) as TaskId[])];
  }).flat(),
);

export const MODULES: readonly number[] = TASK_COUNTS.map((_, module) => module);

export function isTaskId(id: string): id is TaskId {
  return (COURSE_TASKS as readonly string[]).includes(id);
}

/** The module a task belongs to: `moduleOf("4.1")` is 4. */
export function moduleOf(id: TaskId): number {
  return Number(id.split(".")[0]);
}

/** The tag of a task's tests: `describe("task4_1")`, `describe("task4_4b")`. */
export function testTag(id: TaskId): string {
  return `task${id.replace(".", "_")}`;
}
