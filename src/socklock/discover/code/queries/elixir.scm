; Elixir call targets. Capture names are documented in socklock/discover/code/captures.py.
; In every pattern that reports something, @_fn is the most selective word: the
; prefilter searches files for it before parsing.

;; section: targets

; ---- literals that may hold an address
((string) @seed (#match? @seed "://|:[0-9][0-9]"))

; ---- env reads: System.get_env("X"), System.get_env("X", "default"), System.fetch_env!("X")
((call
   target: (dot left: (alias) @_o right: (identifier) @_fn)
   (arguments . (_) @env.name . (_)? @env.default .)) @env
  (#eq? @_o "System") (#any-of? @_fn "get_env" "fetch_env!" "fetch_env"))

; ---- HTTP: HTTPoison.get(url), Req.get(url), HTTPoison.request(method, url), Finch.build(:get, url)
((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments . (_) @target))
  (#any-of? @_fn "HTTPoison" "HTTPotion" "Req")
  (#any-of? @_m "get" "get!" "post" "post!" "put" "put!" "patch" "patch!" "delete" "delete!"
    "head" "head!"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments . (_) . (_) @target))
  (#any-of? @_fn "HTTPoison" "Finch")
  (#any-of? @_m "request" "request!" "build"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords (pair key: (keyword) @_k value: (_) @target))))
  (#eq? @_fn "Req") (#eq? @_m "new") (#match? @_k "^base_url:"))

; ---- brokers, caches, databases: a URL, or host: and port: keywords
((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments . [(string) (identifier) (binary_operator) (call) (unary_operator)] @target))
  (#any-of? @_fn "AMQP.Connection" "Redix" "Postgrex")
  (#any-of? @_m "open" "start_link"))

; host alone (the driver's default port), then host and port: an optional
; node whose predicate fails would drop the whole match
((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords (pair key: (keyword) @_h value: (_) @target.host))))
  (#set! scheme "amqp") (#eq? @_fn "AMQP.Connection") (#eq? @_m "open") (#match? @_h "^host:"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords
     (pair key: (keyword) @_h value: (_) @target.host)
     (pair key: (keyword) @_p value: (_) @target.port))))
  (#set! scheme "amqp") (#eq? @_fn "AMQP.Connection") (#eq? @_m "open")
  (#match? @_h "^host:") (#match? @_p "^port:"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords (pair key: (keyword) @_h value: (_) @target.host))))
  (#set! scheme "redis") (#eq? @_fn "Redix") (#eq? @_m "start_link") (#match? @_h "^host:"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords
     (pair key: (keyword) @_h value: (_) @target.host)
     (pair key: (keyword) @_p value: (_) @target.port))))
  (#set! scheme "redis") (#eq? @_fn "Redix") (#eq? @_m "start_link")
  (#match? @_h "^host:") (#match? @_p "^port:"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords (pair key: (keyword) @_h value: (_) @target.host))))
  (#set! scheme "postgresql") (#eq? @_fn "Postgrex") (#eq? @_m "start_link")
  (#match? @_h "^hostname:"))

((call
   target: (dot left: (alias) @_fn right: (identifier) @_m)
   (arguments (keywords
     (pair key: (keyword) @_h value: (_) @target.host)
     (pair key: (keyword) @_p value: (_) @target.port))))
  (#set! scheme "postgresql") (#eq? @_fn "Postgrex") (#eq? @_m "start_link")
  (#match? @_h "^hostname:") (#match? @_p "^port:"))

; ---- an Ecto Repo's config (config :app, App.Repo, hostname: ..., port: ...): its
;      database, PostgreSQL unless the port says otherwise (Phoenix's default adapter);
;      url: "ecto://user:pass@host/db"
((call
   target: (identifier) @_fn
   (arguments . (atom) . (alias) @_r
     (keywords (pair key: (keyword) @_h value: (_) @target.host))))
  (#set! scheme "postgresql") (#eq? @_fn "config") (#match? @_r "Repo$")
  (#match? @_h "^hostname:"))

((call
   target: (identifier) @_fn
   (arguments . (atom) . (alias) @_r
     (keywords
       (pair key: (keyword) @_h value: (_) @target.host)
       (pair key: (keyword) @_p value: (_) @target.port))))
  (#set! scheme "postgresql") (#eq? @_fn "config") (#match? @_r "Repo$")
  (#match? @_h "^hostname:") (#match? @_p "^port:"))

((call
   target: (identifier) @_fn
   (arguments . (atom) . (alias) @_r
     (keywords (pair key: (keyword) @_u value: (_) @target))))
  (#set! strength "weak") (#eq? @_fn "config") (#match? @_r "Repo$") (#match? @_u "^url:"))

; ---- string building: String.to_integer(x), to_string(x)
((call
   target: (dot left: (alias) @_s right: (identifier) @_fn)
   (arguments . (_) @form.value .)) @form
  (#eq? @_s "String") (#any-of? @_fn "to_integer" "trim"))

((call target: (identifier) @_fn (arguments . (_) @form.value .)) @form
  (#eq? @_fn "to_string"))

; ---- messages: IO.puts/inspect, Logger, raise
((call
   target: (dot left: (alias) @_recv right: (identifier) @_fn)
   (arguments) @quiet)
  (#any-of? @_recv "IO" "Logger")
  (#any-of? @_fn "puts" "inspect" "write" "debug" "info" "notice" "warning" "warn" "error"))

((call target: (identifier) @_fn (arguments) @quiet)
  (#eq? @_fn "raise"))

; documentation: @moduledoc, @doc
((unary_operator operator: "@" operand: (call target: (identifier) @_fn (arguments) @quiet))
  (#any-of? @_fn "moduledoc" "doc" "typedoc"))

;; section: definitions

(binary_operator left: (identifier) @def.name operator: "=" right: (_) @def.value)
(unary_operator
  operator: "@"
  operand: (call target: (identifier) @def.name (arguments . (_) @def.value .)))

;; section: calls

(call target: (identifier) @call.name (arguments) @call.args) @call
