/**
 * Results: rows of (case, variant, outcome), printed as Markdown tables and
 * kept as plain data for the JSON file.
 */
import type { Outcome } from "./timing.js";

/** One variant's result on one case. */
export interface Row {
  case: string;
  variant: string;
  outcome: Outcome;
  /** Reference median / this median (> 1: faster than the reference). */
  ratio: number | null;
  gflops: number | null;
  /** Further columns of this table, by column title. */
  extra?: Record<string, string>;
  note?: string;
}

export interface Table {
  title: string;
  /** Name of the reference variant the ratio column divides by. */
  reference: string;
  rows: Row[];
  /** Titles of extra columns, in order. */
  extraColumns?: string[];
  /** Whether the table has a GFLOP/s column. */
  flops?: boolean;
}

/** A free-form table (already formatted cells), for results that are not timings of variants. */
export interface PlainTable {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface SectionReport {
  name: string;
  tables: Array<Table | PlainTable>;
  notes: string[];
  /** Section-specific results for the JSON file. */
  data?: Record<string, unknown>;
}

/**
 * Rows for one case: every variant's outcome, its ratio to `reference`
 * (reference median / variant median) and, given `flops` per call, GFLOP/s.
 */
export function rowsFor(caseName: string, outcomes: Map<string, Outcome>, reference: string, flops?: number): Row[] {
  const ref = outcomes.get(reference);
  const refMedian = ref?.ok ? ref.stats.medianMs : null;
  const rows: Row[] = [];
  for (const [variant, outcome] of outcomes) {
    const row: Row = {
      case: caseName,
      variant,
      outcome,
      ratio: outcome.ok && refMedian !== null ? refMedian / outcome.stats.medianMs : null,
      gflops: outcome.ok && flops !== undefined ? flops / (outcome.stats.medianMs * 1e6) : null,
    };
    const over = outcome.ok ? outcome.stats.singleRunOverMs : undefined;
    if (over !== undefined) row.note = `one run only (a call takes > ${over / 1000} s)`;
    if (!outcome.ok) row.note = `n/a: ${outcome.reason}`;
    rows.push(row);
  }
  return rows;
}

/** A duration in ms with three significant digits and no exponent. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 1e-3) return String(Number(ms.toPrecision(3)));
  return ms.toFixed(7).replace(/0+$/, "");
}

export function fmtRatio(x: number | null): string {
  if (x === null) return "–";
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function fmtGflops(x: number | null): string {
  if (x === null) return "–";
  return x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3);
}

function isPlain(t: Table | PlainTable): t is PlainTable {
  return "columns" in t;
}

/** Markdown for a table (pipes aligned for reading on a terminal). */
export function formatTable(t: Table | PlainTable): string {
  let columns: string[];
  let cells: string[][];
  if (isPlain(t)) {
    columns = t.columns;
    cells = t.rows;
  } else {
    const extra = t.extraColumns ?? [];
    const hasNote = t.rows.some((r) => r.note !== undefined);
    columns = ["case", "variant", "median ms", "min ms", "samples", `× ${t.reference}`];
    if (t.flops) columns.push("GFLOP/s");
    columns.push(...extra);
    if (hasNote) columns.push("note");
    cells = t.rows.map((r) => {
      const s = r.outcome.ok ? r.outcome.stats : null;
      const line = [
        r.case,
        r.variant,
        s ? fmtMs(s.medianMs) : "n/a",
        s ? fmtMs(s.minMs) : "–",
        s ? String(s.samples) : "–",
        fmtRatio(r.ratio),
      ];
      if (t.flops) line.push(fmtGflops(r.gflops));
      for (const c of extra) line.push(r.extra?.[c] ?? "");
      if (hasNote) line.push(r.note ?? "");
      return line;
    });
  }
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)));
  const numeric = columns.map((_, i) => cells.length > 0 && cells.every((row) => /^[-+]?[\d.,×<>≤–]+( ?[a-z%]*)?$/.test(row[i] ?? "") || row[i] === "n/a"));
  const pad = (s: string, i: number): string => (numeric[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!));
  const lines = [
    `### ${t.title}`,
    "",
    `| ${columns.map((c, i) => pad(c, i)).join(" | ")} |`,
    `| ${widths.map((w, i) => (numeric[i] ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`,
    ...cells.map((row) => `| ${row.map((c, i) => pad(c, i)).join(" | ")} |`),
  ];
  return lines.join("\n");
}

export function formatSection(s: SectionReport): string {
  const parts = [`## ${s.name}`, ...s.tables.map(formatTable)];
  if (s.notes.length > 0) parts.push(s.notes.map((n) => `- ${n}`).join("\n"));
  return parts.join("\n\n");
}

/** A table as JSON-friendly data (numbers, not formatted strings). */
export function tableData(t: Table | PlainTable): Record<string, unknown> {
  if (isPlain(t)) return { title: t.title, columns: t.columns, rows: t.rows };
  return {
    title: t.title,
    reference: t.reference,
    rows: t.rows.map((r) => ({
      case: r.case,
      variant: r.variant,
      ...(r.outcome.ok ? { ...r.outcome.stats } : { na: r.outcome.reason }),
      ratioToReference: r.ratio,
      gflops: r.gflops,
      ...(r.extra ? { extra: r.extra } : {}),
      ...(r.note ? { note: r.note } : {}),
    })),
  };
}
