/**
 * From a sweep's points, as they have arrived, to the grids the chart draws: per grid cell the mean, the
 * smallest and the largest value of one metric over the seeds received so far, and how many there are.
 *
 * Pure. Points arrive in any order ({ix, iy, seed, ...metrics}, docs/api.md "POST /api/sweep"); each cell's
 * values are taken in seed order, so the same points give the same grids bit for bit whatever order they came
 * in. A cell no seed has reached yet is null in every grid.
 */

/** The sweep's shape: {nx, ny} from its axes ({x: {values}, y: {values} | null}); ny is 1 without a y axis. */
export function gridShape(axes) {
  return { nx: axes.x.values.length, ny: axes.y ? axes.y.values.length : 1 };
}

/**
 * The value of field `name` at grid cell (ix, iy): the axis value when an axis sweeps it, else the base's.
 * A memory horizon of null means "beyond the sequence", which the server's grid counts as seq_len steps.
 */
export function fieldAt(axes, base, name, ix, iy) {
  if (axes.x.field === name) return axes.x.values[ix];
  if (axes.y && axes.y.field === name) return axes.y.values[iy];
  return base[name];
}

/** A point's value of `metric` as a number, or null when it has none (as the server's grid reads it). */
export function metricValue(point, metric, axes, base) {
  let value = point[metric];
  if (metric === 'memory_horizon' && value === null) value = Number(fieldAt(axes, base, 'seq_len', point.ix, point.iy));
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Files the points by cell, each cell a Map seed -> point; a (cell, seed) that comes twice counts once. */
export function pointsByCell(points, { nx, ny }) {
  const cells = Array.from({ length: ny * nx }, () => new Map());
  for (const p of points) {
    if (p.ix >= 0 && p.ix < nx && p.iy >= 0 && p.iy < ny) cells[p.iy * nx + p.ix].set(p.seed, p);
  }
  return cells;
}

function statsOf(values) {
  if (values.length === 0) return { mean: null, min: null, max: null, count: 0 };
  const sum = values.reduce((a, b) => a + b, 0);
  return { mean: sum / values.length, min: Math.min(...values), max: Math.max(...values), count: values.length };
}

/**
 * The grids of `metric` over the points received so far: {mean, min, max, count}, each ny rows (y) of nx
 * columns (x), the first three null where a cell has no value yet. `axes` and `base` as fieldAt takes them.
 */
export function sweepGrids(points, axes, base, metric) {
  const shape = gridShape(axes);
  const cells = pointsByCell(points, shape);
  const grids = { mean: [], min: [], max: [], count: [] };
  for (let iy = 0; iy < shape.ny; iy += 1) {
    const row = cells.slice(iy * shape.nx, (iy + 1) * shape.nx).map((cell) => {
      const bySeed = [...cell.keys()].sort((a, b) => a - b).map((seed) => cell.get(seed));
      return statsOf(bySeed.map((p) => metricValue(p, metric, axes, base)).filter((v) => v !== null));
    });
    for (const key of Object.keys(grids)) grids[key].push(row.map((s) => s[key]));
  }
  return grids;
}

/** How many cells have at least one seed: the heatmap's filled cells. */
export function filledCells(grids) {
  return grids.count.flat().filter((n) => n > 0).length;
}

/**
 * The configuration of grid cell (ix, iy) with the sweep's first seed: `base` (which holds that seed) with
 * the axis fields set to the cell's values. What a click on the chart loads into the main views.
 */
export function cellConfig(axes, base, ix, iy) {
  const config = { ...base, [axes.x.field]: axes.x.values[ix] };
  if (axes.y) config[axes.y.field] = axes.y.values[iy];
  return config;
}
