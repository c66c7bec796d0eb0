/** The web platform of the thread runtime, as the playground's bundles import it (build.ts resolves the name). */
declare module "minitorch-web-platform" {
  export function prestartThreads(entry: string, count: number): Promise<boolean>;
  export function registerModule(name: string, namespace: Record<string, unknown>): void;
  export function threadReady(): Promise<void>;
}

/** LeNet without the rest of train-mnist (build.ts resolves the name to its model module). */
declare module "@minitorch/train-mnist/model" {
  export { CLASSES, HEIGHT, LeNet, WIDTH } from "@minitorch/train-mnist";
}
