import { useEffect, type RefObject } from 'react';

// Native drag and drop does not scroll a scrolling container for you, so a drop on Won (far to
// the right) was impossible. While a card is dragged, the pointer near the board's left or right
// edge scrolls the board sideways, and near a column's top or bottom edge scrolls that column.
// A frame loop does the scrolling: the browser sends no dragover while the pointer rests.

const EDGE_PX = 80;
const MAX_STEP_PX = 24;

const step = (distanceIntoEdge: number) => Math.ceil(MAX_STEP_PX * Math.min(1, distanceIntoEdge / EDGE_PX));

export function useAutoScroll(board: RefObject<HTMLElement | null>, active: boolean) {
  useEffect(() => {
    if (!active) return;
    let pointer: { x: number; y: number } | null = null;
    let frame = 0;
    const onDragOver = (e: DragEvent) => {
      pointer = { x: e.clientX, y: e.clientY };
    };
    const tick = () => {
      const el = board.current;
      if (el && pointer) {
        const r = el.getBoundingClientRect();
        const left = Math.max(r.left, 0);
        const right = Math.min(r.right, window.innerWidth);
        if (pointer.x < left + EDGE_PX) el.scrollLeft -= step(left + EDGE_PX - pointer.x);
        else if (pointer.x > right - EDGE_PX) el.scrollLeft += step(pointer.x - (right - EDGE_PX));
        const column = document.elementFromPoint(pointer.x, pointer.y)?.closest<HTMLElement>('.column-body');
        if (column) {
          const c = column.getBoundingClientRect();
          if (pointer.y < c.top + EDGE_PX / 2) column.scrollTop -= step(2 * (c.top + EDGE_PX / 2 - pointer.y));
          else if (pointer.y > c.bottom - EDGE_PX / 2) column.scrollTop += step(2 * (pointer.y - (c.bottom - EDGE_PX / 2)));
        }
      }
      frame = requestAnimationFrame(tick);
    };
    document.addEventListener('dragover', onDragOver);
    frame = requestAnimationFrame(tick);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      cancelAnimationFrame(frame);
    };
  }, [board, active]);
}
