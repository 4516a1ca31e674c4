; JavaScript-only patterns (parameters and class fields differ from TypeScript).

;; section: targets

;; section: definitions

(field_definition property: (property_identifier) @def.field value: (_) @def.value)
(formal_parameters (identifier) @param)
(formal_parameters (assignment_pattern left: (identifier) @param right: (_) @param.default))
(formal_parameters (object_pattern (shorthand_property_identifier_pattern) @param))
(formal_parameters (rest_pattern (identifier) @param))
