package dev.hotrestart.dap;

/**
 * What the adapter's command line chooses for every session it serves.
 *
 * @param hoverCalls hover evaluations may call methods of the program ({@code --hover-calls});
 *                   without it a hover reads names, fields and array elements only
 */
public record ServerOptions(boolean hoverCalls) {}
