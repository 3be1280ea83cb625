// Readers for the configuration snippets in the docs: just enough Lua, Emacs Lisp and TOML to
// find a configuration table and its attribute names (and, where the value is a literal, its type).

/** A value as far as a snippet shows it: a literal's JSON type, or 'expression' when computed. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'expression';

export interface SnippetConfig {
    /** Where in the Markdown block, for messages. */
    where: string;
    request?: string;
    /** Attribute names with the kind of their values. */
    attributes: Map<string, ValueKind>;
}

// ------------------------------------------------------------------ Lua (nvim-dap)

interface LuaTok {
    k: 'str' | 'name' | 'num' | 'op';
    v: string;
    line: number;
}

function luaTokens(src: string): LuaTok[] {
    const toks: LuaTok[] = [];
    let i = 0;
    let line = 1;
    const longBracket = (at: number) => /^\[(=*)\[/.exec(src.slice(at));
    while (i < src.length) {
        const c = src[i];
        if (c === '\n') { line++; i++; continue; }
        if (/\s/.test(c)) { i++; continue; }
        if (src.startsWith('--', i)) {
            const lb = longBracket(i + 2);
            const end = lb ? src.indexOf(`]${lb[1]}]`, i) : src.indexOf('\n', i);
            const stop = end < 0 ? src.length : lb ? end + lb[0].length : end;
            line += (src.slice(i, stop).match(/\n/g) ?? []).length;
            i = stop;
            continue;
        }
        const lb = c === '[' ? longBracket(i) : null;
        if (lb) {
            const end = src.indexOf(`]${lb[1]}]`, i);
            const stop = end < 0 ? src.length : end + lb[0].length;
            toks.push({ k: 'str', v: src.slice(i + lb[0].length, end < 0 ? src.length : end), line });
            line += (src.slice(i, stop).match(/\n/g) ?? []).length;
            i = stop;
            continue;
        }
        if (c === '"' || c === "'") {
            let j = i + 1;
            let v = '';
            while (j < src.length && src[j] !== c) {
                if (src[j] === '\\') { v += src[j + 1]; j += 2; } else v += src[j++];
            }
            toks.push({ k: 'str', v, line });
            i = j + 1;
            continue;
        }
        const name = /^[A-Za-z_]\w*/.exec(src.slice(i));
        if (name) { toks.push({ k: 'name', v: name[0], line }); i += name[0].length; continue; }
        const num = /^(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(src.slice(i));
        if (num) { toks.push({ k: 'num', v: num[0], line }); i += num[0].length; continue; }
        const op = /^(\.\.\.|\.\.|==|~=|<=|>=|::|[-+*/%^#&|<>=(){}[\];:,.~])/.exec(src.slice(i));
        toks.push({ k: 'op', v: op ? op[0] : c, line });
        i += op ? op[0].length : 1;
    }
    return toks;
}

const OPENS = new Set(['function', 'do', 'if', 'repeat']);
const CLOSES = new Set(['end', 'until']);

interface LuaField {
    key?: string;
    value: LuaTok[];
}

/** The fields of the table constructor whose `{` is at toks[start]. */
function luaTable(toks: LuaTok[], start: number): LuaField[] {
    const fields: LuaField[] = [];
    let i = start + 1;
    while (i < toks.length && !(toks[i].k === 'op' && toks[i].v === '}')) {
        let key: string | undefined;
        if (toks[i].k === 'name' && toks[i + 1]?.v === '=' && toks[i + 1].k === 'op') {
            key = toks[i].v;
            i += 2;
        } else if (toks[i].v === '[' && toks[i + 1]?.k === 'str' && toks[i + 2]?.v === ']' && toks[i + 3]?.v === '=') {
            key = toks[i + 1].v;
            i += 4;
        }
        const value: LuaTok[] = [];
        let depth = 0;
        for (; i < toks.length; i++) {
            const t = toks[i];
            if (t.k === 'op' && ['(', '{', '['].includes(t.v)) depth++;
            else if (t.k === 'op' && [')', '}', ']'].includes(t.v)) {
                if (depth === 0) break;
                depth--;
            } else if (t.k === 'name' && OPENS.has(t.v)) depth++;
            else if (t.k === 'name' && CLOSES.has(t.v)) depth--;
            else if (depth === 0 && t.k === 'op' && (t.v === ',' || t.v === ';')) break;
            value.push(t);
        }
        fields.push({ key, value });
        if (toks[i]?.v === ',' || toks[i]?.v === ';') i++;
    }
    return fields;
}

function luaKind(value: LuaTok[]): ValueKind {
    if (value.length === 1) {
        const t = value[0];
        if (t.k === 'str') return 'string';
        if (t.k === 'num') return 'number';
        if (t.k === 'name' && (t.v === 'true' || t.v === 'false')) return 'boolean';
    }
    if (value[0]?.v === '{' && value[value.length - 1]?.v === '}') {
        // a table: a list when its fields have no keys
        return luaTable(value, 0).some(f => f.key !== undefined) ? 'object' : 'array';
    }
    return 'expression';
}

/** Every Lua table with `type = 'hotrestart'`: the nvim-dap configurations of a snippet. */
export function luaConfigs(src: string): SnippetConfig[] {
    const toks = luaTokens(src);
    const out: SnippetConfig[] = [];
    toks.forEach((t, i) => {
        if (!(t.k === 'op' && t.v === '{')) return;
        const fields = luaTable(toks, i);
        const type = fields.find(f => f.key === 'type');
        if (!type || type.value.length !== 1 || type.value[0].v !== 'hotrestart' || type.value[0].k !== 'str') return;
        const request = fields.find(f => f.key === 'request')?.value[0]?.v;
        const attributes = new Map<string, ValueKind>();
        for (const f of fields) if (f.key && !['type', 'request', 'name'].includes(f.key)) attributes.set(f.key, luaKind(f.value));
        out.push({ where: `line ${t.line}`, request, attributes });
    });
    return out;
}

// ------------------------------------------------------------------ Emacs Lisp (dape, dap-mode)

type Sexp = { atom: string; line: number } | { str: string; line: number } | { list: Sexp[]; line: number; prefix?: string };

function elispRead(src: string): Sexp[] {
    let i = 0;
    let line = 1;
    function skip() {
        while (i < src.length) {
            if (src[i] === '\n') { line++; i++; } else if (/\s/.test(src[i])) i++;
            else if (src[i] === ';') { while (i < src.length && src[i] !== '\n') i++; } else break;
        }
    }
    function read(): Sexp | undefined {
        skip();
        if (i >= src.length) return undefined;
        const c = src[i];
        const prefix = /^(#'|,@|[`',])/.exec(src.slice(i));
        if (prefix) {
            i += prefix[0].length;
            const inner = read();
            return inner && 'list' in inner ? { ...inner, prefix: prefix[0] } : inner;
        }
        if (c === '(' || c === '[') {
            const close = c === '(' ? ')' : ']';
            const at = line;
            i++;
            const list: Sexp[] = [];
            for (;;) {
                skip();
                if (i >= src.length) break;
                if (src[i] === close) { i++; break; }
                const e = read();
                if (!e) break;
                list.push(e);
            }
            return { list, line: at };
        }
        if (c === '"') {
            let j = i + 1;
            let v = '';
            while (j < src.length && src[j] !== '"') {
                if (src[j] === '\\') { v += src[j + 1]; j += 2; } else { if (src[j] === '\n') line++; v += src[j++]; }
            }
            i = j + 1;
            return { str: v, line };
        }
        const atom = /^[^\s()[\]";]+/.exec(src.slice(i));
        if (atom) { i += atom[0].length; return { atom: atom[0], line }; }
        i++;
        return read();
    }
    const out: Sexp[] = [];
    for (let e = read(); e; e = read()) out.push(e);
    return out;
}

function elispKind(e: Sexp): ValueKind {
    if ('str' in e) return 'string';
    if ('atom' in e) {
        if (/^-?\d+$/.test(e.atom)) return 'number';
        if (e.atom === 't' || e.atom === ':json-false' || e.atom === ':false') return 'boolean';
        return 'expression';
    }
    if (e.prefix === undefined && e.list.length > 0 && 'atom' in e.list[0] && e.list[0].atom !== 'list') return 'array';
    return e.list.every(x => 'str' in x) ? 'array' : 'expression';
}

/** Every plist with `:type "hotrestart"`: the dape and dap-mode configurations of a snippet. */
export function elispConfigs(src: string): SnippetConfig[] {
    const out: SnippetConfig[] = [];
    const visit = (e: Sexp) => {
        if (!('list' in e)) return;
        e.list.forEach(visit);
        const typeAt = e.list.findIndex((x, k) => 'atom' in x && x.atom === ':type' && (e.list[k + 1] as { str?: string })?.str === 'hotrestart');
        if (typeAt < 0) return;
        // a dape entry is (name key value key value …), a dap-mode template (list key value …)
        const attributes = new Map<string, ValueKind>();
        let request: string | undefined;
        for (let k = typeAt % 2 === 1 ? 1 : 0; k + 1 < e.list.length; k += 2) {
            const key = e.list[k];
            if (!('atom' in key) || !key.atom.startsWith(':')) continue;
            const name = key.atom.slice(1);
            if (name === 'request') request = (e.list[k + 1] as { str?: string }).str;
            else if (!['type', 'name'].includes(name)) attributes.set(name, elispKind(e.list[k + 1]));
        }
        out.push({ where: `line ${e.line}`, request, attributes });
    };
    elispRead(src).forEach(visit);
    return out;
}

// ------------------------------------------------------------------ TOML (Helix)

/** Helix debugger templates: `request = "…"` and the keys of `args = { … }` in each [[…templates]] table. */
export function helixConfigs(src: string): SnippetConfig[] {
    const out: SnippetConfig[] = [];
    const sections = src.split(/^(?=\[\[?)/m).filter(s => /^\[\[language\.debugger\.templates\]\]/.test(s));
    for (const s of sections) {
        const request = /^request\s*=\s*"([^"]*)"/m.exec(s)?.[1];
        const args = /^args\s*=\s*\{/m.exec(s);
        if (!args) continue;
        const attributes = new Map<string, ValueKind>();
        let depth = 0;
        let key = '';
        let expectKey = true;
        let valueStart = -1;
        const body = s.slice(args.index + args[0].length);
        for (let i = 0; i < body.length; i++) {
            const c = body[i];
            if (c === '"') {
                const end = body.indexOf('"', i + 1);
                i = end < 0 ? body.length : end;
                continue;
            }
            if (depth === 0 && expectKey && /[\w-]/.test(c)) {
                const m = /^[\w-]+/.exec(body.slice(i))!;
                key = m[0];
                i += m[0].length - 1;
                expectKey = false;
                continue;
            }
            if (depth === 0 && c === '=') { valueStart = i + 1; continue; }
            if (c === '{' || c === '[') depth++;
            else if (c === ']' || (c === '}' && depth > 0)) depth--;
            else if (depth === 0 && (c === ',' || c === '}')) {
                const v = body.slice(valueStart, i).trim();
                attributes.set(key, v.startsWith('"') ? 'string' : v.startsWith('[') ? 'array' : v.startsWith('{') ? 'object'
                    : /^(true|false)$/.test(v) ? 'boolean' : /^-?\d+$/.test(v) ? 'number' : 'expression');
                expectKey = true;
                if (c === '}') break;
            }
        }
        out.push({ where: `template "${/^name\s*=\s*"([^"]*)"/m.exec(s)?.[1] ?? '?'}"`, request, attributes });
    }
    return out;
}

// ------------------------------------------------------------------ JSON (launch.json, Zed)

const VSCODE_KEYS = new Set(['type', 'request', 'name', 'preLaunchTask', 'postDebugTask', 'internalConsoleOptions', 'debugServer',
    'presentation', 'noDebug', 'suppressMultipleSessionWarning', 'serverReadyAction', 'windows', 'osx', 'linux']);
const ZED_KEYS = new Set(['label', 'adapter', 'request', 'build', 'tcp_connection']);

function jsonKind(v: unknown): ValueKind {
    if (Array.isArray(v)) return 'array';
    if (v === null) return 'expression';
    if (typeof v === 'object') return 'object';
    return typeof v as ValueKind;
}

/** Launch configurations in parsed JSON: VS Code's (`"type": "hotrestart"`) and Zed's (`"adapter": "hotrestart"`). */
export function jsonConfigs(value: unknown, where = '$'): SnippetConfig[] {
    const out: SnippetConfig[] = [];
    if (Array.isArray(value)) value.forEach((v, k) => out.push(...jsonConfigs(v, `${where}[${k}]`)));
    else if (value && typeof value === 'object') {
        const o = value as { [k: string]: unknown };
        const vscode = o.type === 'hotrestart' && typeof o.request === 'string';
        const zed = o.adapter === 'hotrestart';
        if (vscode || zed) {
            const attributes = new Map<string, ValueKind>();
            for (const [k, v] of Object.entries(o)) if (!(vscode ? VSCODE_KEYS : ZED_KEYS).has(k)) attributes.set(k, jsonKind(v));
            out.push({ where, request: String(o.request), attributes });
        } else {
            for (const [k, v] of Object.entries(o)) out.push(...jsonConfigs(v, `${where}.${k}`));
        }
    }
    return out;
}

/** JSON with // and /* comments, as launch.json allows. */
export function parseJsonc(text: string): unknown {
    let out = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            let j = i + 1;
            while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
            out += text.slice(i, j + 1);
            i = j;
        } else if (text.startsWith('//', i)) {
            while (i < text.length && text[i] !== '\n') i++;
            out += '\n';
        } else if (text.startsWith('/*', i)) {
            const end = text.indexOf('*/', i + 2);
            i = end < 0 ? text.length : end + 1;
        } else out += c;
    }
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}
