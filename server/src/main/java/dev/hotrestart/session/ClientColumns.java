package dev.hotrestart.session;

import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;

/**
 * Columns as the client counts them: from 1 (DAP's default) or from 0 ({@code columnsStartAt1:
 * false} in {@code initialize}). Inside the adapter columns count from 1; they are turned into
 * the client's where a request brings one in or a response or event takes one out.
 */
record ClientColumns(int base) {
    static ClientColumns of(InitializeRequestArguments clientInfo) {
        return new ClientColumns(Boolean.FALSE.equals(clientInfo.getColumnsStartAt1()) ? 0 : 1);
    }

    /** The adapter's 1-based column for the client's; 0 or less for none. */
    int in(Integer clientColumn) {
        return clientColumn == null ? 0 : clientColumn - base + 1;
    }

    /** The client's column for the adapter's 1-based one. */
    int out(int column) {
        return column - 1 + base;
    }

    /** The breakpoint with its column (if any) the client's way. */
    Breakpoint out(Breakpoint bp) {
        if (bp.getColumn() != null) bp.setColumn(out(bp.getColumn()));
        return bp;
    }
}
