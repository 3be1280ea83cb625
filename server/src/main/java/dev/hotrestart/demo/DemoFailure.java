package dev.hotrestart.demo;

/** A demo step that did not go as it should, said in words for someone trying hotrestart. */
final class DemoFailure extends RuntimeException {
    DemoFailure(String message) {
        super(message, null, false, false);
    }
}
