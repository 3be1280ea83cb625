;;; story.el --- the hot restart story in dap-mode, in batch  -*- lexical-binding: t -*-

;; emacs --batch -l story.el, with HOTRESTART_SERVER_JAR and HOTRESTART_WORKSPACE (a copy of
;; editor-tests/sample) in the environment. Uses hotrestart-dap.el as a user would; exits 0 when
;; the program's answer after the fix is in the session's output buffer, 1 otherwise.

;;; Code:

(package-initialize)
(add-to-list 'load-path (file-name-directory load-file-name))
(require 'hotrestart-dap)

(setq hotrestart-server-jar (getenv "HOTRESTART_SERVER_JAR"))
(setq hotrestart-java (expand-file-name "bin/java" (getenv "JAVA_HOME")))

(defvar story-started (float-time))

(defun story-say (fmt &rest args)
  (princ (format "[emacs %5.1fs] %s\n" (- (float-time) story-started) (apply #'format fmt args))))

(defun story-fail (fmt &rest args)
  (story-say "FAILED: %s" (apply #'format fmt args))
  (let ((session (dap--cur-session)))
    (when session
      (story-say "the session's output:\n%s"
                 (with-current-buffer (get-buffer-create (dap--debug-session-output-buffer session)) (buffer-string)))))
  (kill-emacs 1))

(defun story-wait (what seconds pred)
  "Wait up to SECONDS for PRED, running Emacs's process loop; fail naming WHAT."
  (let ((until (+ (float-time) seconds)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) until))
      (accept-process-output nil 0.05))
    (or value (story-fail "%s: not within %s s" what seconds))))

(defun story-type-after (file text typed)
  "In FILE's buffer, type TYPED after TEXT, and save."
  (with-current-buffer (find-buffer-visiting file)
    (goto-char (point-min))
    (unless (search-forward text nil t) (story-fail "%s does not hold %s" file text))
    (insert typed)
    (save-buffer)))

(defun story-output (session)
  (with-current-buffer (get-buffer-create (dap--debug-session-output-buffer session)) (buffer-string)))

(let* ((ws (file-name-as-directory (getenv "HOTRESTART_WORKSPACE")))
       (source (expand-file-name "src/main/java/demo/Receipt.java" ws))
       session frame)
  ;; the user opens the file and starts the template from it (the set-up finds the project's folder)
  (find-file source)
  (dap-debug (list :type "hotrestart" :request "launch" :name "receipt"))
  (setq session (story-wait "a session" 10 #'dap--cur-session))
  (setq frame (story-wait "F5 should stop where the exception escapes count" 180
                          (lambda () (dap--debug-session-active-frame session))))
  (unless (string-match-p "count" (gethash "name" frame))
    (story-fail "the stop's frame is %s, not count" (gethash "name" frame)))
  (story-say "stopped in %s, line %s" (gethash "name" frame) (gethash "line" frame))
  ;; a first try that does not compile: its errors come to *hotrestart reload*, the thread stays
  (story-type-after source "line.substring(line.indexOf(' ') + 1)" ".replace(\"x\", \"\"")
  (hotrestart-restart-frame)
  (story-wait "the compile error in *hotrestart reload*" 60
              (lambda () (let ((b (get-buffer "*hotrestart reload*")))
                           (and b (with-current-buffer b (string-match-p "Receipt.java:15:[0-9]+: error: " (buffer-string)))))))
  (story-say "a reload that does not compile: %s"
             (with-current-buffer "*hotrestart reload*" (car (split-string (buffer-string) "\n"))))
  ;; the fix, typed into the buffer dap-mode opened at the frame, and saved
  (story-type-after source "line.substring(line.indexOf(' ') + 1).replace(\"x\", \"\"" ")")
  (story-say "fix saved")
  (hotrestart-restart-frame)
  (story-wait "the program's answer after the fix" 60
              (lambda () (string-match-p "items on the receipt: 9" (story-output session))))
  (with-current-buffer "*hotrestart reload*"
    (unless (string-empty-p (buffer-string)) (story-fail "the good reload left errors shown: %s" (buffer-string))))
  (story-say "the output buffer shows: %s"
             (car (seq-filter (lambda (l) (string-match-p "items on the receipt" l)) (split-string (story-output session) "\n"))))
  (story-wait "the program's end" 30 (lambda () (not (dap--session-running session))))
  (story-say "the session ended")
  (kill-emacs 0))
