package dev.hotrestart.project;

/** Tells the user about a slow step (asking the build tool) while the launch waits for it. */
public interface Progress {
    void start(String title);

    void end(String message);

    Progress NONE = new Progress() {
        @Override
        public void start(String title) {}

        @Override
        public void end(String message) {}
    };
}
