;;; hotrestart-dap.el --- hotrestart in Emacs's dap-mode  -*- lexical-binding: t -*-

;; The set-up docs/editors.md shows for dap-mode (Debian: apt-get install elpa-dap-mode; MELPA:
;; dap-mode). Load it from your init file, and set `hotrestart-server-jar'.

;;; Code:

(require 'dap-mode)

(defvar hotrestart-server-jar (expand-file-name "~/src/hotrestart/server/target/hotrestart-server.jar")
  "The adapter's jar, started over stdio with `hotrestart-java'.")

(defvar hotrestart-java "java"
  "The java (17 or newer) that runs the adapter.")

(defun hotrestart-project-folder ()
  "The Maven project's root above the current folder: the nearest folder with a pom.xml, and its
parents as long as their pom.xml lists it as a module; else the current folder."
  (let ((found (locate-dominating-file default-directory "pom.xml")))
    (if (not found)
        (expand-file-name default-directory)
      (setq found (file-name-as-directory (expand-file-name found)))
      (let (up)
        (while (and (setq up (file-name-directory (directory-file-name found)))
                    (not (equal up found))
                    (file-exists-p (expand-file-name "pom.xml" up))
                    (with-temp-buffer
                      (insert-file-contents (expand-file-name "pom.xml" up))
                      (re-search-forward (concat "<module>\\s-*\\(\\./\\)?"
                                                 (regexp-quote (file-name-nondirectory (directory-file-name found)))
                                                 "/?\\s-*</module>")
                                         nil t)))
          (setq found up)))
      found)))

(dap-register-debug-provider
 "hotrestart"
 (lambda (conf)
   (unless (plist-get conf :dap-server-path)
     (setq conf (plist-put conf :dap-server-path (list hotrestart-java "-XX:TieredStopAtLevel=1" "-XX:+UseSerialGC" "-Xmn32m"
                                                                 "-jar" hotrestart-server-jar))))
   (unless (plist-get conf :cwd)
     (setq conf (plist-put conf :cwd (hotrestart-project-folder))))
   conf))

;; M-x dap-debug RET "hotrestart: launch": in a Maven project the adapter finds the class path and
;; the one class with main; add :mainClass, :classPaths, :tests ... as in docs/launch-attributes.md.
(dap-register-debug-template
 "hotrestart: launch"
 (list :type "hotrestart" :request "launch" :name "hotrestart"))

(defvar hotrestart--last-failure nil
  "The message of the last failed reload, from its reloadDiagnostics event.")

(defun hotrestart-restart-frame ()
  "Reload the method of the selected frame and run it again."
  (interactive)
  (let* ((session (dap--cur-session-or-die))
         (frame (dap--debug-session-active-frame session)))
    (unless frame (user-error "hotrestart: no frame is selected"))
    (dap--send-message
     (dap--make-request "restartFrameWithReload" (list :frameId (gethash "id" frame) :resume t))
     (dap--resp-handler
      (lambda (response)
        (message "hotrestart: ran %s again" (gethash "restarted" (gethash "body" response))))
      (lambda (error-message)
        ;; a failed reload was told by its reloadDiagnostics event already
        (unless (equal error-message hotrestart--last-failure)
          (message "hotrestart: %s" error-message))))
     session)))

(cl-defmethod dap-handle-event ((_event (eql reloadDiagnostics)) _session params)
  "Show a failed reload's compile errors in *hotrestart reload*, where `next-error' visits them.
A reload that succeeds empties it."
  (let ((diagnostics (append (gethash "diagnostics" params) nil))
        (failure (gethash "message" params)))
    (with-current-buffer (get-buffer-create "*hotrestart reload*")
      (let ((inhibit-read-only t))
        (compilation-mode)
        (erase-buffer)
        (dolist (d diagnostics)
          (insert (format "%s:%s:%s: error: %s\n" (gethash "path" d) (gethash "line" d) (or (gethash "column" d) 1)
                          (replace-regexp-in-string "\n" "\n    " (gethash "message" d)))))))
    (when diagnostics (display-buffer "*hotrestart reload*"))
    (setq hotrestart--last-failure failure)
    (when failure (message "hotrestart: %s" failure))))

(provide 'hotrestart-dap)
;;; hotrestart-dap.el ends here
