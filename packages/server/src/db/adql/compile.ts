/**
 * A parsed ADQL query → one SQL statement through Kysely's `sql` builder, for any catalog engine.
 * Values are bound as parameters or inlined as checked numbers; identifiers come only from the
 * table description, never from the query text, so nothing the client writes reaches SQL as code.
 *
 * Types are checked as ADQL sees them (numbers, strings, timestamps, geometries, conditions) so an
 * error names the construct instead of surfacing as a driver message. Geometry is compiled to the
 * catalog's spherical index: CONTAINS(POINT(ra, dec), CIRCLE/POLYGON/BOX) and DISTANCE(…) < r on the
 * table's position pair become a declination band and RA intervals (the cone index) plus an exact
 * test on the stored unit vector. The same functions on other arguments are computed row by row.
 */
import { type RawBuilder, sql } from 'kysely';
import { AdqlError, type Expr, type SelectItem, type SelectQuery } from '../../domain/adql.js';
import { type DialectName, dialectInfo } from '../dialect.js';
import { coneBounds } from '../sky-cone.js';
import { footprintHoldsPoint, footprintMeetsCircle, footprintMeetsPolygon, type SqlVector } from './footprint-tests.js';
import { boxRanges, convexPolygon, unitVector } from './shapes.js';

/** `region`: a frame's footprint, shown as an STC-S polygon; usable only in CONTAINS and INTERSECTS. */
export type AdqlColumnType = 'double' | 'integer' | 'text' | 'timestamp' | 'region';

export interface AdqlColumn {
  /** Lower-case, as TAP_SCHEMA lists it. */
  name: string;
  type: AdqlColumnType;
  /** The value, as an SQL expression over one row of the table's source. */
  sql: RawBuilder<unknown>;
}

export interface AdqlTable {
  schema: string;
  name: string;
  /** What follows FROM (a table, or a table with a join the service always applies). */
  source: RawBuilder<unknown>;
  /** A condition every row must meet (rows hidden from this table), or null. */
  always: RawBuilder<unknown> | null;
  columns: AdqlColumn[];
  /**
   * The region column (ObsCore's s_region): the frame's footprint as four corners, each its unit
   * vector in SQL over the row, or no footprint at all (`absent`), when the frame is its centre.
   * Geometry predicates on it are exact (footprint-tests.ts) behind the cone index on the centre,
   * widened by `maxRadiusDeg`, the largest distance of a corner from its centre that is found.
   */
  region?: {
    column: string;
    corners: SqlVector[];
    absent: RawBuilder<unknown>;
    maxRadiusDeg: number;
  };
  /** The position pair the cone index serves, with the stored unit vector of each row. */
  position: {
    ra: string;
    dec: string;
    raSql: RawBuilder<unknown>;
    decSql: RawBuilder<unknown>;
    vector: RawBuilder<unknown>[];
  } | null;
}

export interface OutputColumn {
  name: string;
  type: AdqlColumnType;
  /** The table column it shows unchanged, for units, UCDs and descriptions. */
  column: AdqlColumn | null;
}

export interface CompiledQuery {
  sql: RawBuilder<Record<string, unknown>>;
  /** The table queried, `schema.name`. */
  table: string;
  columns: OutputColumn[];
  /** Rows the caller may return; the statement asks for one more to detect overflow. */
  limit: number;
}

type ScalarType = 'number' | 'integer' | 'text' | 'timestamp' | 'boolean' | 'null' | 'region';

interface Scalar {
  kind: 'scalar';
  type: ScalarType;
  sql: RawBuilder<unknown>;
  /** Known before running: literals and what folds from them. */
  constant?: number | string;
  column?: AdqlColumn;
  aggregate: boolean;
}

interface Point {
  kind: 'point';
  ra: Scalar;
  dec: Scalar;
  /** The table's indexed position pair. */
  indexed: boolean;
}
interface Circle {
  kind: 'circle';
  centre: Point;
  radius: Scalar;
}
interface Polygon {
  kind: 'polygon';
  vertices: Point[];
}
interface Box {
  kind: 'box';
  centre: Point;
  width: Scalar;
  height: Scalar;
}
type Shape = Circle | Polygon | Box;
type Value = Scalar | Point | Shape;

const SHAPES = new Set(['POINT', 'CIRCLE', 'POLYGON', 'BOX']);
const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'AVG', 'SUM']);
const PREDICATES = new Set(['CONTAINS', 'INTERSECTS']);

export interface CompileOptions {
  dialect: DialectName;
  /** Rows returned at most (MAXREC); TOP lowers it. */
  maxRows: number;
}

export function compileAdql(query: SelectQuery, tables: AdqlTable[], options: CompileOptions): CompiledQuery {
  return new Compiler(query, tables, options).compile();
}

class Compiler {
  private readonly table: AdqlTable;
  private readonly names: string[];
  /** Table columns read outside aggregates (to check against GROUP BY). */
  private bareColumns = new Set<string>();
  private inAggregate = false;
  private readonly fns: DialectFunctions;

  constructor(
    private readonly query: SelectQuery,
    tables: AdqlTable[],
    private readonly options: CompileOptions,
  ) {
    this.table = findTable(query, tables);
    const alias = query.from.alias;
    this.names = alias
      ? [alias.toUpperCase()]
      : [this.table.name.toUpperCase(), `${this.table.schema}.${this.table.name}`.toUpperCase()];
    this.fns = FUNCTIONS[options.dialect];
  }

  compile(): CompiledQuery {
    const q = this.query;
    const select = this.selectList(q.items);
    const where = q.where ? this.condition(q.where, 'WHERE') : null;
    this.bareColumns = new Set();
    const groupBy = q.groupBy.map((e) => this.groupItem(e, select.aliases));
    const groupedColumns = new Set(groupBy.flatMap((g) => (g.column ? [g.column] : [])));
    const groupedAliases = new Set(groupBy.flatMap((g) => (g.alias ? [g.alias] : [])));
    const having = q.having ? this.condition(q.having, 'HAVING', true) : null;
    const orderBy = q.orderBy.map(
      (o) => sql`${this.orderKey(o.expr, select)}${sql.raw(o.descending ? ' desc' : ' asc')}`,
    );
    const grouped = groupBy.length > 0 || select.aggregate || (having?.aggregate ?? false);
    if (grouped) {
      const loose = [
        ...select.items.flatMap((item, i) =>
          groupedAliases.has(select.columns[i]!.name.toUpperCase()) ? [] : item.columns,
        ),
        ...this.bareColumns,
      ];
      for (const name of loose)
        if (!groupedColumns.has(name) && !groupedAliases.has(name.toUpperCase()))
          throw new AdqlError(`column ${name} must appear in GROUP BY or inside an aggregate function`);
    }

    const top = q.top ?? Number.POSITIVE_INFINITY;
    const limit = Math.min(top, this.options.maxRows);
    const conditions = [this.table.always, where?.sql].filter((c): c is RawBuilder<unknown> => !!c);
    const parts: RawBuilder<unknown>[] = [
      sql`select ${sql.raw(q.distinct ? 'distinct ' : '')}${sql.join(select.sql, sql`, `)} from ${this.table.source}`,
    ];
    if (conditions.length)
      parts.push(
        sql`where ${sql.join(
          conditions.map((c) => sql`(${c})`),
          sql` and `,
        )}`,
      );
    if (groupBy.length)
      parts.push(
        sql`group by ${sql.join(
          groupBy.map((g) => g.sql),
          sql`, `,
        )}`,
      );
    if (having) parts.push(sql`having ${having.sql}`);
    if (orderBy.length) parts.push(sql`order by ${sql.join(orderBy, sql`, `)}`);
    // One row more than returned tells the caller that the result overflowed MAXREC.
    parts.push(sql`limit ${sql.lit(Math.min(limit + 1, top))}`);
    if (q.offset) parts.push(sql`offset ${sql.lit(q.offset)}`);
    return {
      sql: sql.join(parts, sql` `) as RawBuilder<Record<string, unknown>>,
      table: `${this.table.schema}.${this.table.name}`,
      columns: select.columns,
      limit,
    };
  }

  // SELECT list.
  private selectList(items: SelectItem[]) {
    const out: {
      sql: RawBuilder<unknown>[];
      columns: OutputColumn[];
      items: Array<{ aggregate: boolean; columns: string[] }>;
      aliases: Map<string, number>;
      aggregate: boolean;
    } = { sql: [], columns: [], items: [], aliases: new Map(), aggregate: false };
    const used = new Set<string>();
    const add = (value: Scalar, name: string, columns: string[]) => {
      let unique = name;
      for (let n = 2; used.has(unique.toLowerCase()); n++) unique = `${name}_${n}`;
      used.add(unique.toLowerCase());
      out.sql.push(sql`${value.sql} as ${sql.ref(`c${out.columns.length}`)}`);
      out.columns.push({ name: unique, type: outputType(value), column: value.column ?? null });
      out.items.push({ aggregate: value.aggregate, columns });
      if (value.aggregate) out.aggregate = true;
    };
    for (const item of items) {
      if (item.kind === 'all') {
        if (item.qualifier.length && !this.qualifies(item.qualifier))
          throw new AdqlError(`unknown table ${item.qualifier.join('.')} in ${item.qualifier.join('.')}.*`);
        for (const column of this.table.columns) {
          this.bareColumns.add(column.name);
          add(this.columnValue(column), column.name, [column.name]);
        }
        continue;
      }
      const before = new Set(this.bareColumns);
      this.bareColumns = new Set();
      const value = this.scalar(item.expr, 'the select list');
      const columns = [...this.bareColumns];
      this.bareColumns = new Set([...before, ...columns]);
      if (value.type === 'boolean')
        throw new AdqlError('a condition cannot be selected; CONTAINS and INTERSECTS can (they return 0 or 1)');
      const name = item.alias ?? defaultName(item.expr, out.columns.length);
      if (item.alias) out.aliases.set(item.alias.toUpperCase(), out.columns.length);
      add(value, name, columns);
    }
    return out;
  }

  private groupItem(e: Expr, aliases: Map<string, number>) {
    if (e.kind === 'column' && e.qualifier.length === 0 && aliases.has(e.name.toUpperCase()) && !this.findColumn(e))
      return { sql: sql.ref(`c${aliases.get(e.name.toUpperCase())}`), column: null, alias: e.name.toUpperCase() };
    if (e.kind !== 'column') throw new AdqlError('GROUP BY takes column names or select-list aliases');
    const value = this.scalar(e, 'GROUP BY');
    return { sql: value.sql, column: value.column?.name ?? null, alias: null };
  }

  private orderKey(e: Expr, select: { aliases: Map<string, number>; columns: OutputColumn[] }): RawBuilder<unknown> {
    if (e.kind === 'number') {
      if (!e.integer || e.value < 1 || e.value > select.columns.length)
        throw new AdqlError(`ORDER BY ${e.value}: there is no such column in the select list`);
      return sql.ref(`c${e.value - 1}`);
    }
    if (e.kind === 'column' && e.qualifier.length === 0 && select.aliases.has(e.name.toUpperCase()))
      return sql.ref(`c${select.aliases.get(e.name.toUpperCase())}`);
    const value = this.scalar(e, 'ORDER BY');
    if (value.type === 'boolean') throw new AdqlError('ORDER BY takes values, not conditions');
    return value.sql;
  }

  // Conditions.
  private condition(e: Expr, clause: string, aggregatesAllowed = false): Scalar {
    const value = this.scalar(e, clause);
    if (value.type !== 'boolean') throw new AdqlError(`${clause} needs a condition, not a value`);
    if (value.aggregate && !aggregatesAllowed) throw new AdqlError(`aggregate functions are not allowed in ${clause}`);
    return value;
  }

  private scalar(e: Expr, where: string): Scalar {
    const value = this.value(e);
    if (value.kind !== 'scalar')
      throw new AdqlError(
        `a ${value.kind.toUpperCase()} is not a value here (${where}); use it inside CONTAINS, INTERSECTS or DISTANCE`,
      );
    return value;
  }

  private value(e: Expr): Value {
    switch (e.kind) {
      case 'number':
        if (!Number.isFinite(e.value)) throw new AdqlError(`number out of range: ${e.value}`);
        return {
          kind: 'scalar',
          type: e.integer ? 'integer' : 'number',
          sql: number(e.value),
          constant: e.value,
          aggregate: false,
        };
      case 'string':
        return { kind: 'scalar', type: 'text', sql: sql`${e.value}`, constant: e.value, aggregate: false };
      case 'column': {
        const column = this.findColumn(e);
        if (!column) throw new AdqlError(`unknown column ${[...e.qualifier, e.name].join('.')}`);
        if (!this.inAggregate) this.bareColumns.add(column.name);
        return this.columnValue(column);
      }
      case 'unary': {
        const operand = this.numeric(e.operand, `unary ${e.op}`);
        return {
          ...operand,
          sql: e.op === '-' ? sql`(- ${operand.sql})` : operand.sql,
          constant: undefined,
          column: undefined,
        };
      }
      case 'arithmetic':
        return this.arithmetic(e);
      case 'compare':
        return this.compare(e);
      case 'between': {
        const [v, lo, hi] = this.comparable([e.value, e.low, e.high], 'BETWEEN') as [Scalar, Scalar, Scalar];
        const test = sql`${v.sql} between ${lo.sql} and ${hi.sql}`;
        return condition(e.not ? sql`not (${test})` : test, [v, lo, hi]);
      }
      case 'in': {
        const [v, ...list] = this.comparable([e.value, ...e.list], 'IN') as [Scalar, ...Scalar[]];
        const test = sql`${v.sql} in (${sql.join(
          list.map((l) => l.sql),
          sql`, `,
        )})`;
        return condition(e.not ? sql`not (${test})` : test, [v, ...list]);
      }
      case 'like': {
        const v = this.scalar(e.value, 'LIKE');
        if (v.type !== 'text' || e.pattern.kind !== 'string')
          throw new AdqlError(
            `${e.caseInsensitive ? 'ILIKE' : 'LIKE'} compares a string with a string literal pattern`,
          );
        const test = e.caseInsensitive ? this.fns.ilike(v.sql, e.pattern.value) : this.fns.like(v.sql, e.pattern.value);
        return condition(e.not ? sql`not (${test})` : test, [v]);
      }
      case 'isNull': {
        const v = this.scalar(e.value, 'IS NULL');
        return condition(sql`${v.sql} is ${sql.raw(e.not ? 'not ' : '')}null`, [v]);
      }
      case 'logical': {
        const left = this.bool(e.left, e.op);
        const right = this.bool(e.right, e.op);
        return condition(sql`(${left.sql}) ${sql.raw(e.op.toLowerCase())} (${right.sql})`, [left, right]);
      }
      case 'not': {
        const operand = this.bool(e.operand, 'NOT');
        return condition(sql`not (${operand.sql})`, [operand]);
      }
      case 'call':
        return this.call(e);
    }
  }

  private bool(e: Expr, op: string): Scalar {
    const value = this.scalar(e, op);
    if (value.type !== 'boolean') throw new AdqlError(`${op} combines conditions, not values`);
    return value;
  }

  private numeric(e: Expr, op: string): Scalar {
    const value = this.scalar(e, op);
    if (value.type !== 'number' && value.type !== 'integer' && value.type !== 'null')
      throw new AdqlError(`${op} needs a number, not a ${typeName(value.type)}`);
    return value;
  }

  private arithmetic(e: Extract<Expr, { kind: 'arithmetic' }>): Scalar {
    if (e.op === '||') {
      const parts = [this.scalar(e.left, '||'), this.scalar(e.right, '||')];
      if (parts.some((p) => p.type !== 'text')) throw new AdqlError('|| joins strings only');
      return {
        kind: 'scalar',
        type: 'text',
        sql: this.fns.concat(parts[0]!.sql, parts[1]!.sql),
        aggregate: parts.some((p) => p.aggregate),
      };
    }
    const left = this.numeric(e.left, e.op);
    const right = this.numeric(e.right, e.op);
    const integer = left.type === 'integer' && right.type === 'integer' && e.op !== '/';
    // Division is always real: 7/2 is 3.5 on every engine, as an astronomer expects.
    const l = e.op === '/' ? this.fns.real(left.sql) : left.sql;
    return {
      kind: 'scalar',
      type: integer ? 'integer' : 'number',
      sql: sql`(${l} ${sql.raw(e.op)} ${right.sql})`,
      aggregate: left.aggregate || right.aggregate,
    };
  }

  private compare(e: Extract<Expr, { kind: 'compare' }>): Scalar {
    const geometric = this.geometricComparison(e);
    if (geometric) return geometric;
    const cone = this.distanceComparison(e);
    if (cone) return cone;
    const [left, right] = this.comparable([e.left, e.right], e.op) as [Scalar, Scalar];
    return condition(sql`${left.sql} ${sql.raw(e.op)} ${right.sql}`, [left, right]);
  }

  /** Values that may be compared with each other: numbers with numbers, strings with strings, and
   * timestamps with timestamps or ISO 8601 strings (turned into the stored epoch milliseconds). */
  private comparable(exprs: Expr[], op: string): Scalar[] {
    const values = exprs.map((x) => this.scalar(x, op));
    const timestamp = values.some((v) => v.type === 'timestamp');
    const converted = values.map((v, i): Scalar => {
      if (v.type === 'boolean') throw new AdqlError(`${op} compares values, not conditions`);
      if (v.type === 'region') throw new AdqlError(`${op}: a region is compared only by CONTAINS and INTERSECTS`);
      if (!timestamp || v.type !== 'text') return v;
      if (typeof v.constant !== 'string')
        throw new AdqlError(`${op}: a timestamp compares with a timestamp or an ISO 8601 string literal`);
      return { ...v, type: 'timestamp', sql: number(isoMillis(v.constant, exprs[i]!)) };
    });
    const kinds = new Set(converted.map((v) => (v.type === 'integer' ? 'number' : v.type)).filter((t) => t !== 'null'));
    if (kinds.size > 1) throw new AdqlError(`${op} compares a ${[...kinds].map(typeName).join(' with a ')}`);
    return converted;
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Value {
    if (AGGREGATES.has(e.name)) return this.aggregate(e);
    if (SHAPES.has(e.name)) return this.shape(e);
    if (PREDICATES.has(e.name)) {
      // CONTAINS(…) as a value: 1 or 0.
      const test = this.geometricPredicate(e);
      return { kind: 'scalar', type: 'integer', sql: sql`case when ${test.sql} then 1 else 0 end`, aggregate: false };
    }
    if (e.name === 'DISTANCE') {
      const [a, b] = this.points(e, 2) as [Point, Point];
      return { kind: 'scalar', type: 'number', sql: this.haversine(a, b), aggregate: false };
    }
    if (e.name === 'COORD1' || e.name === 'COORD2') {
      const [p] = this.points(e, 1) as [Point];
      return e.name === 'COORD1' ? p.ra : p.dec;
    }
    const fn = SCALAR_FUNCTIONS[e.name];
    if (!fn) {
      if (['AREA', 'CENTROID', 'REGION', 'COORDSYS'].includes(e.name))
        throw new AdqlError(`${e.name} is not supported by this service`);
      throw new AdqlError(`unknown function ${e.name}`);
    }
    if (e.star || e.distinct) throw new AdqlError(`${e.name} takes no * or DISTINCT`);
    const [min, max] = fn.arity;
    if (e.args.length < min || e.args.length > max)
      throw new AdqlError(`${e.name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}`);
    const args = e.args.map((a) => (fn.type === 'text' ? this.scalar(a, e.name) : this.numeric(a, e.name)));
    if (fn.type === 'text' && args.some((a) => a.type !== 'text' && a.type !== 'null') && e.name !== 'COALESCE')
      throw new AdqlError(`${e.name} takes a string`);
    const type: ScalarType =
      e.name === 'COALESCE'
        ? (args.find((a) => a.type !== 'null')?.type ?? 'null')
        : fn.type === 'integer'
          ? 'integer'
          : fn.type;
    return {
      kind: 'scalar',
      type,
      sql: fn.sql(
        args.map((a) => a.sql),
        this.fns,
      ),
      aggregate: args.some((a) => a.aggregate),
    };
  }

  private aggregate(e: Extract<Expr, { kind: 'call' }>): Scalar {
    if (this.inAggregate) throw new AdqlError(`${e.name} inside another aggregate function`);
    if (e.star) {
      if (e.name !== 'COUNT') throw new AdqlError(`${e.name}(*) is not defined; only COUNT(*)`);
      return { kind: 'scalar', type: 'integer', sql: sql`count(*)`, aggregate: true };
    }
    if (e.args.length !== 1) throw new AdqlError(`${e.name} takes one argument`);
    this.inAggregate = true;
    const arg = this.scalar(e.args[0]!, e.name);
    this.inAggregate = false;
    if (arg.type === 'boolean') throw new AdqlError(`${e.name} takes a value, not a condition`);
    if ((e.name === 'AVG' || e.name === 'SUM') && arg.type !== 'number' && arg.type !== 'integer')
      throw new AdqlError(`${e.name} needs a number, not a ${typeName(arg.type)}`);
    const distinct = sql.raw(e.distinct ? 'distinct ' : '');
    const inner = sql`${sql.raw(e.name.toLowerCase())}(${distinct}${arg.sql})`;
    const type: ScalarType = e.name === 'COUNT' ? 'integer' : e.name === 'AVG' ? 'number' : arg.type;
    return {
      kind: 'scalar',
      type,
      // AVG and SUM of integers come back as numeric/decimal on PostgreSQL and MySQL: read as a double.
      sql: e.name === 'AVG' ? this.fns.real(inner) : inner,
      column: e.name === 'MIN' || e.name === 'MAX' ? arg.column : undefined,
      aggregate: true,
    };
  }

  // Geometry.
  private shape(e: Extract<Expr, { kind: 'call' }>): Point | Shape {
    const args = [...e.args];
    // The optional coordinate system comes first (ADQL 2.0 made it mandatory, 2.1 deprecated it).
    if (args[0]?.kind === 'string') {
      const frame = args.shift() as Extract<Expr, { kind: 'string' }>;
      if (!/^\s*(ICRS\b.*)?$/i.test(frame.value))
        throw new AdqlError(`coordinate system '${frame.value}' is not supported; this service uses ICRS`);
    }
    const nums = () => args.map((a) => this.numeric(a, e.name));
    switch (e.name) {
      case 'POINT': {
        if (args.length !== 2) throw new AdqlError('POINT takes a longitude and a latitude');
        const [ra, dec] = nums() as [Scalar, Scalar];
        const indexed =
          !!this.table.position &&
          ra.column?.name === this.table.position.ra &&
          dec.column?.name === this.table.position.dec;
        return { kind: 'point', ra, dec, indexed };
      }
      case 'CIRCLE': {
        const first = args[0] && this.value(args[0]);
        if (first?.kind === 'point') {
          if (args.length !== 2) throw new AdqlError('CIRCLE takes a centre point and a radius');
          return { kind: 'circle', centre: first, radius: this.numeric(args[1]!, 'CIRCLE') };
        }
        if (args.length !== 3) throw new AdqlError('CIRCLE takes a centre (longitude, latitude) and a radius');
        const [ra, dec, radius] = nums() as [Scalar, Scalar, Scalar];
        return { kind: 'circle', centre: { kind: 'point', ra, dec, indexed: false }, radius };
      }
      case 'BOX': {
        if (args.length !== 4) throw new AdqlError('BOX takes a centre (longitude, latitude), a width and a height');
        const [ra, dec, width, height] = nums() as [Scalar, Scalar, Scalar, Scalar];
        return { kind: 'box', centre: { kind: 'point', ra, dec, indexed: false }, width, height };
      }
      default: {
        const values = args.map((a) => this.value(a));
        if (values.every((v) => v.kind === 'point')) {
          if (values.length < 3) throw new AdqlError('POLYGON needs at least three vertices');
          return { kind: 'polygon', vertices: values as Point[] };
        }
        if (args.length < 6 || args.length % 2)
          throw new AdqlError('POLYGON takes three or more vertices (longitude, latitude pairs)');
        const n = nums();
        const vertices: Point[] = [];
        for (let i = 0; i < n.length; i += 2)
          vertices.push({ kind: 'point', ra: n[i]!, dec: n[i + 1]!, indexed: false });
        return { kind: 'polygon', vertices };
      }
    }
  }

  private points(e: Extract<Expr, { kind: 'call' }>, count: number): Point[] {
    if (e.args.length !== count) throw new AdqlError(`${e.name} takes ${count === 1 ? 'a POINT' : `${count} POINTs`}`);
    return e.args.map((a) => {
      const v = this.value(a);
      if (v.kind !== 'point') throw new AdqlError(`${e.name} takes POINTs`);
      return v;
    });
  }

  /** `CONTAINS(…) = 1`, `0 = INTERSECTS(…)` and the like. */
  private geometricComparison(e: Extract<Expr, { kind: 'compare' }>): Scalar | null {
    const [call, other] =
      e.left.kind === 'call' && PREDICATES.has(e.left.name)
        ? [e.left, e.right]
        : e.right.kind === 'call' && PREDICATES.has(e.right.name)
          ? [e.right, e.left]
          : [null, null];
    if (!call || !other) return null;
    if (other.kind !== 'number' || (other.value !== 0 && other.value !== 1) || (e.op !== '=' && e.op !== '<>'))
      throw new AdqlError(`${call.name} is compared with = 1 or = 0`);
    const test = this.geometricPredicate(call);
    const positive = (other.value === 1) === (e.op === '=');
    return positive ? test : condition(sql`not (${test.sql})`, [test]);
  }

  private geometricPredicate(e: Extract<Expr, { kind: 'call' }>): Scalar {
    if (e.args.length !== 2) throw new AdqlError(`${e.name} takes two geometries`);
    const [a, b] = e.args.map((x) => this.value(x)) as [Value, Value];
    const isRegion = (v: Value) => v.kind === 'scalar' && v.type === 'region';
    if (isRegion(a) || isRegion(b)) {
      const shape = isRegion(a) ? b : a;
      if (shape.kind === 'scalar') throw new AdqlError(`${e.name} compares a region with a POINT, CIRCLE or POLYGON`);
      if (e.name === 'CONTAINS' && !(a.kind === 'point' && isRegion(b)))
        throw new AdqlError(
          'CONTAINS with s_region is supported as CONTAINS(POINT(…), s_region); for other shapes use INTERSECTS',
        );
      return this.regionMeets(shape);
    }
    if (a.kind === 'scalar' || b.kind === 'scalar')
      throw new AdqlError(`${e.name} takes geometries (POINT, CIRCLE, BOX, POLYGON)`);
    // INTERSECTS with a point is CONTAINS of that point (ADQL 2.1, 4.2.8).
    if (e.name === 'INTERSECTS' && b.kind === 'point' && a.kind !== 'point') return this.pointIn(b, a);
    if (a.kind !== 'point')
      throw new AdqlError(
        `${e.name} of a ${a.kind.toUpperCase()} in a ${b.kind.toUpperCase()} is not supported; the first argument must be a POINT`,
      );
    if (b.kind === 'point') throw new AdqlError(`${e.name} needs a CIRCLE, BOX or POLYGON as its second argument`);
    return this.pointIn(a, b);
  }

  /**
   * A frame's region meets a constant point, circle or polygon: the footprint exactly
   * (footprint-tests.ts), a frame without one by its centre (as SIA's POS does), behind the cone
   * index around the shape widened by the largest frame radius the table allows for.
   */
  private regionMeets(shape: Point | Shape): Scalar {
    const region = this.table.region;
    const position = this.table.position;
    if (!region || !position) throw new AdqlError('this table has no region to compare');
    if (shape.kind === 'box')
      throw new AdqlError('BOX is not supported with s_region (its sides are not great circles); use a POLYGON');
    const bound = boundOf(shape);
    const centre: Point = {
      kind: 'point',
      ra: { kind: 'scalar', type: 'number', sql: position.raSql, aggregate: false },
      dec: { kind: 'scalar', type: 'number', sql: position.decSql, aggregate: false },
      indexed: true,
    };
    const reach = Math.min(bound.radius + region.maxRadiusDeg, 180);
    const nearby = this.cone(centre, bound.ra, bound.dec, reach);
    let footprint: RawBuilder<unknown>;
    let byCentre: RawBuilder<unknown>;
    if (shape.kind === 'point') {
      footprint = footprintHoldsPoint(region.corners, unitVector(bound.ra, bound.dec));
      // A frame without a footprint is a point, which holds no other point.
      byCentre = sql`1 = 0`;
    } else if (shape.kind === 'circle') {
      footprint = footprintMeetsCircle(region.corners, unitVector(bound.ra, bound.dec), bound.radius);
      byCentre = this.pointInCircle(centre, shape).sql;
    } else {
      const vertices = shape.vertices.map((v) => constants([v.ra, v.dec], 'POLYGON') as [number, number]);
      const polygon = convexPolygon(vertices);
      const vectors = vertices.map(([ra, dec]) => unitVector(ra, dec));
      footprint = footprintMeetsPolygon(region.corners, vectors, polygon.normals);
      byCentre = this.pointIn(centre, shape).sql;
    }
    return condition(
      sql`${nearby} and ((${region.absent} and ${byCentre}) or (not ${region.absent} and ${footprint}))`,
      [],
    );
  }

  private pointIn(p: Point, shape: Shape): Scalar {
    if (shape.kind === 'circle') return this.pointInCircle(p, shape);
    if (shape.kind === 'box') {
      const [ra, dec, width, height] = constants(
        [shape.centre.ra, shape.centre.dec, shape.width, shape.height],
        'BOX',
      ) as [number, number, number, number];
      const r = boxRanges(ra, dec, width, height);
      const parts = [sql`${p.dec.sql} >= ${number(r.decMin)}`, sql`${p.dec.sql} <= ${number(r.decMax)}`];
      if (r.raIntervals.length) parts.push(this.raIntervals(p, r.raIntervals));
      return condition(sql.join(parts, sql` and `), [p.ra, p.dec]);
    }
    const vertices = shape.vertices.map((v) => constants([v.ra, v.dec], 'POLYGON') as [number, number]);
    const polygon = convexPolygon(vertices);
    const vector = this.vectorOf(p);
    const inside = polygon.normals.map(
      ([x, y, z]) => sql`${vector[0]} * ${number(x)} + ${vector[1]} * ${number(y)} + ${vector[2]} * ${number(z)} >= 0`,
    );
    const parts = p.indexed
      ? [this.conePrefilter(p, polygon.bound.ra, polygon.bound.dec, polygon.bound.radius), ...inside]
      : inside;
    return condition(sql.join(parts, sql` and `), [p.ra, p.dec]);
  }

  private pointInCircle(p: Point, circle: Circle): Scalar {
    const centre = circle.centre;
    const known = [centre.ra, centre.dec, circle.radius].every((v) => v.constant !== undefined);
    if (known) {
      const [ra, dec, radius] = constants([centre.ra, centre.dec, circle.radius], 'CIRCLE') as [number, number, number];
      if (p.indexed) return condition(this.cone(p, ra, dec, radius), [p.ra, p.dec]);
      const [x, y, z] = unitVector(ra, dec);
      const v = this.vectorOf(p);
      const cos = Math.cos((radius * Math.PI) / 180);
      return condition(
        sql`${v[0]} * ${number(x)} + ${v[1]} * ${number(y)} + ${v[2]} * ${number(z)} >= ${number(cos)}`,
        [p.ra, p.dec],
      );
    }
    return condition(sql`${this.haversine(p, centre)} <= ${circle.radius.sql}`, [p.ra, p.dec, circle.radius]);
  }

  /** `DISTANCE(POINT(ra, dec), POINT(constant)) < r` (either way round) on the indexed pair: a cone. */
  private distanceComparison(e: Extract<Expr, { kind: 'compare' }>): Scalar | null {
    const isDistance = (x: Expr) => x.kind === 'call' && x.name === 'DISTANCE';
    let call: Expr;
    let bound: Expr;
    if (isDistance(e.left) && ['<', '<='].includes(e.op)) [call, bound] = [e.left, e.right];
    else if (isDistance(e.right) && ['>', '>='].includes(e.op)) [call, bound] = [e.right, e.left];
    else return null;
    const radius = this.numeric(bound, 'DISTANCE');
    const [a, b] = this.points(call as Extract<Expr, { kind: 'call' }>, 2) as [Point, Point];
    const [indexed, other] = a.indexed ? [a, b] : b.indexed ? [b, a] : [null, null];
    if (
      !indexed ||
      !other ||
      radius.constant === undefined ||
      other.ra.constant === undefined ||
      other.dec.constant === undefined
    )
      return null;
    const [ra, dec, r] = constants([other.ra, other.dec, radius], 'DISTANCE') as [number, number, number];
    return condition(this.cone(indexed, ra, dec, r), [a.ra, a.dec]);
  }

  private cone(p: Point, ra: number, dec: number, radius: number): RawBuilder<unknown> {
    if (!(radius >= 0)) throw new AdqlError('a circle radius must not be negative');
    const b = coneBounds(ra, dec, radius);
    const v = this.vectorOf(p);
    const [x, y, z] = b.center;
    return sql`${this.conePrefilter(p, ra, dec, radius)} and ${v[0]} * ${number(x)} + ${v[1]} * ${number(y)} + ${v[2]} * ${number(z)} >= ${number(b.cosRadius)}`;
  }

  /** The index-friendly part of a cone: declination band and RA intervals. */
  private conePrefilter(p: Point, ra: number, dec: number, radius: number): RawBuilder<unknown> {
    const b = coneBounds(ra, dec, radius);
    const parts = [sql`${p.dec.sql} >= ${number(b.decMin)}`, sql`${p.dec.sql} <= ${number(b.decMax)}`];
    if (b.raIntervals.length) parts.push(this.raIntervals(p, b.raIntervals));
    return sql.join(parts, sql` and `);
  }

  private raIntervals(p: Point, intervals: Array<[number, number]>): RawBuilder<unknown> {
    const ors = intervals.map(([lo, hi]) => sql`(${p.ra.sql} >= ${number(lo)} and ${p.ra.sql} <= ${number(hi)})`);
    return sql`(${sql.join(ors, sql` or `)})`;
  }

  /** The unit vector of a point: the stored one for the indexed pair, else computed. */
  private vectorOf(p: Point): RawBuilder<unknown>[] {
    if (p.indexed && this.table.position) return this.table.position.vector;
    const ra = sql`radians(${p.ra.sql})`;
    const dec = sql`radians(${p.dec.sql})`;
    return [sql`(cos(${dec}) * cos(${ra}))`, sql`(cos(${dec}) * sin(${ra}))`, sql`sin(${dec})`];
  }

  /** Great-circle distance in degrees (haversine: exact for small angles, where acos is not). */
  private haversine(a: Point, b: Point): RawBuilder<unknown> {
    const h = sql`power(sin(radians(${b.dec.sql} - ${a.dec.sql}) / 2), 2) + cos(radians(${a.dec.sql})) * cos(radians(${b.dec.sql})) * power(sin(radians(${b.ra.sql} - ${a.ra.sql}) / 2), 2)`;
    const capped = dialectInfo(this.options.dialect).leastOf(sql`sqrt(${h})`, sql`1.0`);
    return sql`degrees(2 * asin(${capped}))`;
  }

  // Tables and columns.
  private qualifies(qualifier: string[]): boolean {
    return this.names.includes(qualifier.join('.').toUpperCase());
  }

  private findColumn(e: Extract<Expr, { kind: 'column' }>): AdqlColumn | undefined {
    if (e.qualifier.length && !this.qualifies(e.qualifier))
      throw new AdqlError(`unknown table ${e.qualifier.join('.')}`);
    return this.table.columns.find((c) =>
      e.delimited ? c.name === e.name : c.name.toUpperCase() === e.name.toUpperCase(),
    );
  }

  private columnValue(column: AdqlColumn): Scalar {
    const type: ScalarType = column.type === 'double' ? 'number' : column.type;
    return { kind: 'scalar', type, sql: column.sql, column, aggregate: false };
  }
}

/** A constant point or shape → a circle that holds it. */
function boundOf(shape: Point | Shape): { ra: number; dec: number; radius: number } {
  switch (shape.kind) {
    case 'point': {
      const [ra, dec] = constants([shape.ra, shape.dec], 'POINT') as [number, number];
      return { ra, dec, radius: 0 };
    }
    case 'circle': {
      const [ra, dec, radius] = constants([shape.centre.ra, shape.centre.dec, shape.radius], 'CIRCLE') as [
        number,
        number,
        number,
      ];
      return { ra, dec, radius };
    }
    case 'box': {
      const [ra, dec, w, h] = constants([shape.centre.ra, shape.centre.dec, shape.width, shape.height], 'BOX') as [
        number,
        number,
        number,
        number,
      ];
      // The farthest point of its outline, sampled along the meridian and parallel sides.
      const r = boxRanges(ra, dec, w, h);
      const los = r.raIntervals.length ? [ra - w / 2, ra + w / 2] : [0, 360];
      let radius = 0;
      for (let i = 0; i <= 32; i++) {
        const f = i / 32;
        for (const [pr, pd] of [
          [los[0]! + f * (los[1]! - los[0]!), r.decMin],
          [los[0]! + f * (los[1]! - los[0]!), r.decMax],
          [los[0]!, r.decMin + f * (r.decMax - r.decMin)],
          [los[1]!, r.decMin + f * (r.decMax - r.decMin)],
        ] as Array<[number, number]>) {
          const c = unitVector(ra, dec);
          const q = unitVector(pr, pd);
          radius = Math.max(radius, (Math.acos(Math.min(1, c[0] * q[0] + c[1] * q[1] + c[2] * q[2])) * 180) / Math.PI);
        }
      }
      // Sampling can fall short between samples by a hair: widen by a thirtieth of the box.
      return { ra, dec, radius: Math.min(180, radius + Math.max(w, h) / 30) };
    }
    default:
      return convexPolygon(shape.vertices.map((v) => constants([v.ra, v.dec], 'POLYGON') as [number, number])).bound;
  }
}

function findTable(query: SelectQuery, tables: AdqlTable[]): AdqlTable {
  const path = query.from.path;
  const wanted = path.join('.').toUpperCase();
  const found = tables.find(
    (t) => `${t.schema}.${t.name}`.toUpperCase() === wanted || (path.length === 1 && t.name.toUpperCase() === wanted),
  );
  if (!found) throw new AdqlError(`unknown table ${path.join('.')}; see /tables for the tables of this service`);
  return found;
}

function condition(test: RawBuilder<unknown>, from: Scalar[]): Scalar {
  return { kind: 'scalar', type: 'boolean', sql: test, aggregate: from.some((f) => f.aggregate) };
}

/** A finite number inlined into the statement (parameters lose their type on PostgreSQL). */
function number(value: number): RawBuilder<unknown> {
  if (!Number.isFinite(value)) throw new AdqlError(`number out of range: ${value}`);
  return sql.lit(value);
}

function constants(values: Scalar[], what: string): number[] {
  return values.map((v) => {
    if (typeof v.constant !== 'number') throw new AdqlError(`${what} needs constant numbers here`);
    return v.constant;
  });
}

function isoMillis(text: string, at: Expr): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?Z?$/.exec(text.trim());
  const ms = m
    ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0)) + Math.round(Number(m[6] ?? 0) * 1000)
    : Number.NaN;
  if (!Number.isFinite(ms))
    throw new AdqlError(`'${text}' is not an ISO 8601 time (YYYY-MM-DD[THH:MM:SS])`, undefined, at.offset);
  return ms;
}

function outputType(value: Scalar): AdqlColumnType {
  if (value.type === 'integer') return 'integer';
  if (value.type === 'text' || value.type === 'timestamp' || value.type === 'region') return value.type;
  return 'double';
}

function typeName(type: string): string {
  return type === 'integer' || type === 'number' ? 'number' : type === 'text' ? 'string' : type;
}

/** Output name of an unnamed select item: the column's own name, else the function's, else col_N. */
function defaultName(e: Expr, index: number): string {
  if (e.kind === 'column') return e.delimited ? e.name : e.name.toLowerCase();
  if (e.kind === 'call') return e.name.toLowerCase();
  return `col_${index + 1}`;
}

// Functions whose SQL differs between engines.
export interface DialectFunctions {
  concat(a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<unknown>;
  /** Case-sensitive LIKE (ADQL's). */
  like(value: RawBuilder<unknown>, pattern: string): RawBuilder<unknown>;
  ilike(value: RawBuilder<unknown>, pattern: string): RawBuilder<unknown>;
  /** As a double-precision number. */
  real(value: RawBuilder<unknown>): RawBuilder<unknown>;
  /** As text (a number's decimal digits). */
  text(value: RawBuilder<unknown>): RawBuilder<unknown>;
  round(value: RawBuilder<unknown>, digits: RawBuilder<unknown>): RawBuilder<unknown>;
  truncate(value: RawBuilder<unknown>, digits: RawBuilder<unknown>): RawBuilder<unknown>;
  /** The smallest and the largest of values that are never NULL. */
  least(values: RawBuilder<unknown>[]): RawBuilder<unknown>;
  greatest(values: RawBuilder<unknown>[]): RawBuilder<unknown>;
}

/** LIKE's `%` and `_` as GLOB's `*` and `?`, with GLOB's own metacharacters bracketed. */
const globOf = (pattern: string) =>
  pattern.replace(/[*?[\]%_]/g, (c) => (c === '%' ? '*' : c === '_' ? '?' : `[${c}]`));

export const FUNCTIONS: Record<DialectName, DialectFunctions> = {
  sqlite: {
    concat: (a, b) => sql`(${a} || ${b})`,
    // SQLite's LIKE ignores ASCII case; GLOB is its case-sensitive twin.
    like: (value, pattern) => sql`${value} glob ${globOf(pattern)}`,
    ilike: (value, pattern) => sql`lower(${value}) like lower(${pattern})`,
    real: (value) => sql`cast(${value} as real)`,
    text: (value) => sql`cast(${value} as text)`,
    round: (value, digits) => sql`round(${value}, ${digits})`,
    truncate: (value, digits) => sql`(trunc(${value} * power(10, ${digits})) / power(10, ${digits}))`,
    // SQLite's min() and max() with several arguments are scalar functions.
    least: (values) => sql`min(${sql.join(values, sql`, `)})`,
    greatest: (values) => sql`max(${sql.join(values, sql`, `)})`,
  },
  postgres: {
    concat: (a, b) => sql`(${a} || ${b})`,
    like: (value, pattern) => sql`${value} like ${pattern}`,
    ilike: (value, pattern) => sql`${value} ilike ${pattern}`,
    real: (value) => sql`cast(${value} as double precision)`,
    text: (value) => sql`cast(${value} as text)`,
    round: (value, digits) => sql`cast(round(cast(${value} as numeric), ${digits}) as double precision)`,
    truncate: (value, digits) => sql`cast(trunc(cast(${value} as numeric), ${digits}) as double precision)`,
    least: (values) => sql`least(${sql.join(values, sql`, `)})`,
    greatest: (values) => sql`greatest(${sql.join(values, sql`, `)})`,
  },
  mysql: {
    concat: (a, b) => sql`concat(${a}, ${b})`,
    // The catalog's tables compare in utf8mb4_bin; the pattern is made to, whatever the connection's.
    like: (value, pattern) => sql`${value} like ${pattern} collate utf8mb4_bin`,
    ilike: (value, pattern) => sql`lower(${value}) like lower(${pattern})`,
    real: (value) => sql`cast(${value} as double)`,
    text: (value) => sql`cast(${value} as char)`,
    round: (value, digits) => sql`round(${value}, ${digits})`,
    truncate: (value, digits) => sql`truncate(${value}, ${digits})`,
    least: (values) => sql`least(${sql.join(values, sql`, `)})`,
    greatest: (values) => sql`greatest(${sql.join(values, sql`, `)})`,
  },
};

interface ScalarFunction {
  arity: [number, number];
  /** 'number' and 'integer' functions take numbers; 'text' ones strings. */
  type: 'number' | 'integer' | 'text';
  sql: (args: RawBuilder<unknown>[], fns: DialectFunctions) => RawBuilder<unknown>;
}

const simple = (
  name: string,
  arity: [number, number] = [1, 1],
  type: ScalarFunction['type'] = 'number',
): ScalarFunction => ({
  arity,
  type,
  sql: (args) => sql`${sql.raw(name)}(${sql.join(args, sql`, `)})`,
});

/** ADQL 2.1 section 2.3 (mathematical and trigonometric functions) and 2.4 (UPPER, LOWER, COALESCE). */
const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  ABS: simple('abs'),
  CEILING: simple('ceiling'),
  DEGREES: simple('degrees'),
  EXP: simple('exp'),
  FLOOR: simple('floor'),
  LOG: simple('ln'),
  LOG10: simple('log10'),
  MOD: simple('mod', [2, 2]),
  PI: simple('pi', [0, 0]),
  POWER: simple('power', [2, 2]),
  RADIANS: simple('radians'),
  SQRT: simple('sqrt'),
  ROUND: { arity: [1, 2], type: 'number', sql: ([v, d], fns) => fns.round(v!, d ?? sql.lit(0)) },
  TRUNCATE: { arity: [1, 2], type: 'number', sql: ([v, d], fns) => fns.truncate(v!, d ?? sql.lit(0)) },
  SIN: simple('sin'),
  COS: simple('cos'),
  TAN: simple('tan'),
  COT: { arity: [1, 1], type: 'number', sql: ([v]) => sql`(1.0 / tan(${v}))` },
  ASIN: simple('asin'),
  ACOS: simple('acos'),
  ATAN: simple('atan'),
  ATAN2: simple('atan2', [2, 2]),
  LOWER: simple('lower', [1, 1], 'text'),
  UPPER: simple('upper', [1, 1], 'text'),
  COALESCE: simple('coalesce', [1, 16], 'text'),
};
