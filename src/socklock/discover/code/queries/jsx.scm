; JSX (in .js, .jsx and .tsx files): links, images and namespaces are not calls.

;; section: targets

((jsx_attribute (property_identifier) @_k (_) @quiet)
  (#any-of? @_k "href" "src" "xmlns" "action" "poster" "srcSet"))

;; section: definitions
