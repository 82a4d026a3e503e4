"""The Network tab: the network drawn node by node, with hover read-outs and edits."""
