import { isExcludedElement, isInlineElement, isInsideExcluded } from './exclusions';

/** Above this many records in one batch, a full rescan is cheaper than sorting them out. */
const HUGE_BATCH_RECORDS = 1000;
/** Above this many distinct places to rescan, likewise. */
const HUGE_DIRTY = 300;

export interface RootChanges {
  /** Subtrees to scan again (no one inside another), or 'all' for the whole root. */
  dirty: Node[] | 'all';
  /** Nodes went away: numbers in them must be dropped. */
  removed: boolean;
  /** Text nodes whose text changed: their numbers are stale. */
  changedText: Text[];
}

/** The subtree to scan again when `node` appeared or changed: its own block, or itself if it is one. */
function scanTarget(node: Node, root: Node): Node {
  let n: Node | null = node;
  if (n.nodeType === 1 && !isInlineElement(n as Element)) return n;
  n = node.parentNode;
  while (n && n !== root && n.nodeType === 1 && isInlineElement(n as Element)) n = n.parentNode;
  return n ?? root;
}

/**
 * One MutationObserver for one root (the document or an open shadow root). Records are collected
 * and handed over once per animation frame, collapsed into a deduplicated set of subtrees; a
 * huge batch becomes one full rescan (Dark Reader's approach). rAF does not fire in hidden
 * pages, so nothing is processed while the page is not visible.
 */
export class RootWatcher {
  private readonly observer: MutationObserver;
  private records: MutationRecord[] = [];
  private overflow = false;
  private frame: number | undefined;

  constructor(
    readonly root: Document | ShadowRoot,
    private readonly onChanges: (root: Node, changes: RootChanges) => void,
  ) {
    this.observer = new MutationObserver((records) => {
      if (this.overflow) return;
      if (this.records.length + records.length > HUGE_BATCH_RECORDS) {
        this.overflow = true;
        this.records = [];
      } else {
        for (const r of records) this.records.push(r);
      }
      this.schedule();
    });
    this.observer.observe(root, { childList: true, subtree: true, characterData: true });
  }

  private schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.flush();
    });
  }

  private flush(): void {
    if (this.overflow) {
      this.overflow = false;
      this.onChanges(this.root, { dirty: 'all', removed: true, changedText: [] });
      return;
    }
    const records = this.records;
    this.records = [];
    const targets = new Set<Node>();
    const changedText: Text[] = [];
    let removed = false;
    for (const r of records) {
      if (r.type === 'characterData') {
        changedText.push(r.target as Text);
        targets.add(scanTarget(r.target, this.root));
        continue;
      }
      if (r.removedNodes.length) removed = true;
      for (const added of r.addedNodes) {
        if (added.nodeType === 1 && isExcludedElement(added as Element)) continue;
        if (added.nodeType === 1 || added.nodeType === 3) targets.add(scanTarget(added, this.root));
      }
      // Text next to a removed node now reads differently ("02 <b>x</b>6161 6161").
      if (r.removedNodes.length && r.target.nodeType === 1) targets.add(scanTarget(r.target, this.root));
    }
    if (targets.size > HUGE_DIRTY) {
      this.onChanges(this.root, { dirty: 'all', removed: true, changedText });
      return;
    }
    const dirty: Node[] = [];
    for (const t of targets) {
      if (!t.isConnected || isInsideExcluded(t)) continue;
      let covered = false;
      for (let p = t.parentNode; p && !covered; p = p.parentNode) covered = targets.has(p);
      if (!covered) dirty.push(t);
    }
    if (dirty.length || removed || changedText.length) this.onChanges(this.root, { dirty, removed, changedText });
  }

  disconnect(): void {
    this.observer.disconnect();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.records = [];
  }
}
