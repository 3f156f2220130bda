xcp-ng-dhcp.xml 21G
