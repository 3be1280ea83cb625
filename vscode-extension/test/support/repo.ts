import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const extensionDir = path.resolve(__dirname, '..', '..', '..');
export const repoRoot = path.resolve(extensionDir, '..');
export const serverJar = path.join(repoRoot, 'server', 'target', 'hotrestart-server.jar');
/** The copy that ships in the .vsix and that the adapter factory starts. */
export const shippedJar = path.join(extensionDir, 'server', 'hotrestart-server.jar');

export function javaCommand(): string {
    return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

export interface AttributeSchema {
    required: string[];
    properties: { [name: string]: { type?: unknown; description?: string; default?: unknown; enum?: unknown[] } };
}

let cached: { launch: AttributeSchema; attach: AttributeSchema } | undefined;

/** The server's own statement of the attributes it accepts: java -jar hotrestart-server.jar --schema. */
export function serverSchema(): { launch: AttributeSchema; attach: AttributeSchema } {
    if (!cached) {
        if (!fs.existsSync(serverJar)) throw new Error(`${serverJar} is missing: build the server first (mvn -q install -DskipTests)`);
        cached = JSON.parse(execFileSync(javaCommand(), ['-jar', serverJar, '--schema'], { encoding: 'utf8' }));
    }
    return cached!;
}

export interface CodeBlock {
    file: string;
    /** 1-based line of the opening fence. */
    line: number;
    lang: string;
    text: string;
}

/** The fenced code blocks of a Markdown file. */
export function codeBlocks(file: string): CodeBlock[] {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    const blocks: CodeBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)(```+|~~~+)\s*([\w+-]*)/.exec(lines[i]);
        if (!open) continue;
        const fence = open[2];
        const body: string[] = [];
        let j = i + 1;
        while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
        blocks.push({ file, line: i + 1, lang: open[3].toLowerCase(), text: body.join('\n') });
        i = j;
    }
    return blocks;
}

/** The Markdown files that show configurations: the READMEs and docs/. */
export function docFiles(): string[] {
    const files = [path.join(repoRoot, 'README.md'), path.join(extensionDir, 'README.md')];
    const docs = path.join(repoRoot, 'docs');
    if (fs.existsSync(docs)) {
        for (const f of fs.readdirSync(docs).sort()) if (f.endsWith('.md')) files.push(path.join(docs, f));
    }
    return files.filter(f => fs.existsSync(f));
}
