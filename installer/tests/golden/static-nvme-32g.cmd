static-hash-key.xml 32G
