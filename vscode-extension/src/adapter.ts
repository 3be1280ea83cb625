import * as fs from 'fs';
import * as path from 'path';
import { findJava, FoundJava, JavaEnvironment } from './java';

/** Where packaging puts the server jar inside the extension. */
export function serverJarPath(extensionPath: string): string {
    return path.join(extensionPath, 'server', 'hotrestart-server.jar');
}

/** How to start the adapter: what VS Code's DebugAdapterExecutable is made of. */
export interface AdapterCommand {
    command: string;
    args: string[];
    /** The session's workspace folder: relative paths of an attach configuration resolve against it. */
    cwd?: string;
    java: FoundJava;
}

export interface AdapterDeps {
    extensionPath: string;
    javaEnvironment: JavaEnvironment;
    jarExists?: (jar: string) => boolean;
}

/**
 * The command line that starts the server jar shipped inside the extension, on the Java that
 * discovery finds. Throws an Error whose message tells the user what to do.
 */
export async function adapterCommand(deps: AdapterDeps, workspaceFolder?: string): Promise<AdapterCommand> {
    const jar = serverJarPath(deps.extensionPath);
    const jarExists = deps.jarExists ?? (p => fs.existsSync(p));
    if (!jarExists(jar)) {
        throw new Error(`The hotrestart server is missing from the extension (${jar}). Reinstall the extension; `
            + `in a development checkout, build the server (mvn -q install -DskipTests) and run "npm run compile" in vscode-extension/.`);
    }
    const java = await findJava(deps.javaEnvironment);
    return { command: java.java, args: ['-jar', jar], cwd: workspaceFolder, java };
}

/**
 * The DebugAdapterDescriptorFactory, with VS Code's DebugAdapterExecutable constructor passed in
 * so that this module runs (and is tested) without VS Code.
 */
export function descriptorFactory<E>(
    deps: () => AdapterDeps,
    makeExecutable: (command: string, args: string[], options: { cwd?: string }) => E,
    onSkipped: (skipped: string[], used: FoundJava) => void = () => { },
) {
    return {
        async createDebugAdapterDescriptor(session: { workspaceFolder?: { uri: { fsPath: string } } }): Promise<E> {
            const c = await adapterCommand(deps(), session.workspaceFolder?.uri.fsPath);
            if (c.java.source !== 'hotrestart.java.home' && c.java.skipped.some(s => s.startsWith('hotrestart.java.home ('))) {
                onSkipped(c.java.skipped, c.java);
            }
            return makeExecutable(c.command, c.args, c.cwd ? { cwd: c.cwd } : {});
        },
    };
}
