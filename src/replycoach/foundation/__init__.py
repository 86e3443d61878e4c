"""What every stage stands on: the error hierarchy, where data lives and its cache, strict YAML and schemas, re's cache warmed at start-up, the sandboxed Jinja environment."""
