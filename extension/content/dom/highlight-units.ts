import { isInlineElement } from './exclusions';
import type { Band } from './highlight-plan';
import type { NumberEntry } from './number-registry';

/**
 * An element with this many blocks with numbers at most GROUP_LEVELS below it becomes one unit for
 * them all (a <ul> of 10,000 items, a table's <tbody>): the IntersectionObserver then watches one
 * element, not thousands (with 10,000 targets its work was 150–180 ms per scroll).
 */
const GROUP_AT = 16;
const GROUP_LEVELS = 3;
/**
 * More runs than this (many partial rescans of one unit) are sorted into one: its text nodes
 * indexed once, then numeric comparisons.
 */
const MAX_RUNS = 8;

/** What the highlight window watches: a block with numbers, or an element grouping many such blocks. */
export interface Unit {
  el: Element;
  /** The blocks whose numbers it holds. */
  blocks: Element[];
  /**
   * Its numbers as runs, each in document order: one scan registers its numbers in order, so a
   * run is what one scan added; a later scan (a rescan of part of the unit) starts another. Each
   * run is searched on its own: no sorting across them (that cost 30–50 ms for a paragraph of
   * 10,000 numbers whose first part was parsed after the rest, once the metadata came in).
   */
  runs: NumberEntry[][];
  size: number;
  /** Merged into a unit higher up: no longer in use. */
  merged?: boolean;
  /** Number boxes relative to the unit's own top, valid while `epoch` is the window's. */
  boxes: Map<NumberEntry, Band>;
  epoch: number;
}

/** The block a number belongs to: the nearest ancestor that is not an inline element. */
function blockOf(node: Node): Element | undefined {
  let el: Element | null = node.parentElement ?? ((node.parentNode as ShadowRoot | null)?.host ?? null);
  while (el && isInlineElement(el) && el.parentElement) el = el.parentElement;
  return el ?? undefined;
}

/**
 * Adds `entry` to a unit: to its last run when it surely follows it (same scan, or further on the
 * same text node), else as a new run. Positions of different nodes are not compared:
 * compareDocumentPosition walks siblings, and over a paragraph of 10,000 inline elements that made
 * adding quadratic.
 */
function append(unit: Unit, entry: NumberEntry): void {
  const run = unit.runs[unit.runs.length - 1];
  const last = run?.[run.length - 1];
  const follows =
    last && ((entry.source && last.source === entry.source) || (last.range.startContainer === entry.range.startContainer && last.range.startOffset < entry.range.startOffset));
  if (follows) run!.push(entry);
  else unit.runs.push([entry]);
  unit.size++;
}

/** A unit's runs, few enough to search one by one (sorted into one when there are many). */
export function runsOf(unit: Unit): NumberEntry[][] {
  if (unit.runs.length <= MAX_RUNS) return unit.runs;
  const index = new Map<Node, number>();
  const walker = unit.el.ownerDocument.createTreeWalker(unit.el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(), i = 0; n; n = walker.nextNode(), i++) index.set(n, i);
  const key = (e: NumberEntry) => index.get(e.range.startContainer) ?? -1;
  unit.runs = [unit.runs.flat().sort((a, b) => key(a) - key(b) || a.range.startOffset - b.range.startOffset)];
  return unit.runs;
}

/** What the window does when a unit starts or stops being one (observers, its near set). */
export interface UnitHooks {
  watch(unit: Unit): void;
  unwatch(unit: Unit): void;
}

/**
 * The numbers of a document grouped into units for the highlight window (highlight-window.ts): by
 * block, and blocks by the element that holds many of them.
 */
export class UnitIndex {
  readonly units = new Map<Element, Unit>();
  private readonly unitOfBlock = new Map<Element, Unit>();
  private readonly unitOfEntry = new Map<NumberEntry, Unit>();
  /** Blocks with numbers counted under each ancestor (GROUP_LEVELS up); weak: pages replace their elements. */
  private counts = new WeakMap<Element, number>();

  constructor(
    private readonly doc: Document,
    private readonly hooks: UnitHooks,
  ) {}

  /** Files `entry` under its unit (made, or grouped, as needed); undefined when it has no block. */
  add(entry: NumberEntry): Unit | undefined {
    const block = blockOf(entry.range.startContainer);
    if (!block) return undefined;
    const unit = this.unitOfBlock.get(block) ?? this.newBlock(block);
    append(unit, entry);
    this.unitOfEntry.set(entry, unit);
    return unit;
  }

  /** Forgets `entry` (its unit is compacted later); the unit it was in. */
  remove(entry: NumberEntry): Unit | undefined {
    const unit = this.unitOfEntry.get(entry);
    this.unitOfEntry.delete(entry);
    return unit;
  }

  /** Drops a unit's removed entries; a unit left with none is no longer one. */
  compact(unit: Unit): void {
    if (unit.merged) return;
    const mine = (e: NumberEntry) => this.unitOfEntry.get(e) === unit;
    unit.runs = unit.runs.map((run) => run.filter(mine)).filter((run) => run.length);
    unit.size = unit.runs.reduce((n, run) => n + run.length, 0);
    for (const e of unit.boxes.keys()) if (!mine(e)) unit.boxes.delete(e);
    // Blocks a page removed (a re-rendered list keeps its <ul> and replaces its items): not kept.
    unit.blocks = unit.blocks.filter((b) => {
      if (b.isConnected) return true;
      if (this.unitOfBlock.get(b) === unit) this.unitOfBlock.delete(b);
      return false;
    });
    if (unit.size) return;
    this.units.delete(unit.el);
    for (const b of unit.blocks) if (this.unitOfBlock.get(b) === unit) this.unitOfBlock.delete(b);
    this.hooks.unwatch(unit);
  }

  clear(): void {
    this.units.clear();
    this.unitOfBlock.clear();
    this.unitOfEntry.clear();
    this.counts = new WeakMap();
  }

  /**
   * A block seen for the first time: counted under its ancestors; its unit is the highest of them
   * holding GROUP_AT blocks (units already under that one merge into it), or the block itself.
   */
  private newBlock(block: Element): Unit {
    let group: Element | undefined;
    let a = block.parentElement;
    for (let i = 0; i < GROUP_LEVELS && a && a !== this.doc.body && a !== this.doc.documentElement; i++, a = a.parentElement) {
      const c = (this.counts.get(a) ?? 0) + 1;
      this.counts.set(a, c);
      if (c >= GROUP_AT) group = a;
    }
    const el = group ?? block;
    let unit = this.units.get(el);
    if (!unit) {
      unit = { el, blocks: [], runs: [], size: 0, boxes: new Map(), epoch: -1 };
      this.units.set(el, unit);
      if (group) this.mergeUnder(unit);
      this.hooks.watch(unit);
    }
    unit.blocks.push(block);
    this.unitOfBlock.set(block, unit);
    return unit;
  }

  /** Units inside a new group's element join it (their numbers and blocks), then are no longer units. */
  private mergeUnder(group: Unit): void {
    for (const [el, u] of this.units) {
      if (u === group || !group.el.contains(el)) continue;
      // Units were made in the order their first numbers were found: usually document order.
      for (const run of u.runs) {
        for (const e of run) {
          if (this.unitOfEntry.get(e) !== u) continue;
          append(group, e);
          this.unitOfEntry.set(e, group);
        }
      }
      for (const b of u.blocks) {
        group.blocks.push(b);
        this.unitOfBlock.set(b, group);
      }
      u.merged = true;
      this.units.delete(el);
      this.hooks.unwatch(u);
    }
  }
}
